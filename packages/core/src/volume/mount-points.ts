// SPDX-License-Identifier: Apache-2.0
import type { MountPoint } from '../api/volume.js';
import type { ContainerMount } from './container-mount.js';

/** `Mounts` of container inspect and list. */
export function toMountPoints(mounts: ContainerMount[] | undefined): MountPoint[] {
  return (mounts ?? []).map((m) => ({
    Type: m.type,
    ...(m.type === 'volume' ? { Name: m.name } : {}),
    Source: m.source,
    Destination: m.destination,
    ...(m.type === 'volume' ? { Driver: 'local' } : {}),
    Mode: m.mode,
    RW: !m.readOnly,
    Propagation: m.propagation,
  }));
}
