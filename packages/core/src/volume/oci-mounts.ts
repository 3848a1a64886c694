// SPDX-License-Identifier: Apache-2.0
import type { OciMount } from '../runtime/oci-spec.js';
import type { ContainerMount } from './container-mount.js';
import { parseTmpfsOptions } from './mount-parser.js';

/** What Docker gives every tmpfs before the user's options (moby `daemon/oci_linux.go withMounts`). */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev', 'rprivate'];

/**
 * A container's mounts as OCI spec entries: binds and volumes as recursive binds (volumes of their `_data`), tmpfs
 * mounts with Docker's defaults, `--tmpfs` ones included. Parents come before children whatever the order given,
 * so `/data` is mounted before `/data/cache` (moby `sortMounts`).
 */
export function toOciMounts(mounts: ContainerMount[], tmpfs: Record<string, string> = {}): OciMount[] {
  const entries: OciMount[] = mounts.map((m) =>
    m.type === 'tmpfs'
      ? tmpfsMount(m.destination, m.tmpfsOptions ?? [])
      : {
          destination: m.destination,
          type: 'bind',
          source: m.source,
          options: ['rbind', ...(m.readOnly ? ['ro'] : []), m.propagation || 'rprivate'],
        },
  );
  for (const [destination, options] of Object.entries(tmpfs)) entries.push(tmpfsMount(destination, parseTmpfsOptions(options)));
  const depth = (mount: OciMount) => mount.destination.split('/').filter(Boolean).length;
  return entries.sort((a, b) => depth(a) - depth(b));
}

function tmpfsMount(destination: string, options: string[]): OciMount {
  return { destination, type: 'tmpfs', source: 'tmpfs', options: mergeTmpfsOptions([...TMPFS_DEFAULTS, ...options]) };
}

/** Later options win over earlier ones they contradict (`exec` over `noexec`, the last `size=`), as moby merges them. */
export function mergeTmpfsOptions(options: string[]): string[] {
  const keyOf = (option: string) => {
    if (option.includes('=')) return option.split('=')[0];
    if (option === 'ro' || option === 'rw') return 'rw';
    if (['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'unbindable', 'runbindable'].includes(option)) return 'propagation';
    return option.replace(/^no/, '');
  };
  const byKey = new Map<string, string>();
  for (const option of options) {
    const key = keyOf(option);
    // Deleting first moves the winner to the end, so the result reads in the order the options were last given.
    byKey.delete(key);
    byKey.set(key, option);
  }
  return [...byKey.values()];
}
