// SPDX-License-Identifier: Apache-2.0
import type { MountType } from '../api/volume.js';

/**
 * A mount of a container as recorded at create (moby's `MountPoint`): binds and volumes from `HostConfig.Binds`,
 * `HostConfig.Mounts` and `Config.Volumes` (plus the image's `VOLUME`s), and tmpfs mounts from `HostConfig.Mounts`.
 * `--tmpfs` (`HostConfig.Tmpfs`) is not recorded here: Docker keeps it out of `Mounts` too.
 */
export interface ContainerMount {
  type: MountType;
  /** The volume's name (volumes only). */
  name?: string;
  /** Host path: the bind's source or the volume's data directory; empty for tmpfs. */
  source: string;
  destination: string;
  readOnly: boolean;
  /** The mode as the user wrote it after `-v a:b:` (`ro`, `z`, …), shown as `Mode` in inspect. */
  mode: string;
  /** Bind propagation (`rprivate` unless asked otherwise); empty for volumes and tmpfs. */
  propagation: string;
  /** A volume still to be filled from the image's content at its destination, which the first start does. */
  copyData?: boolean;
  /** A volume created for this container alone, which `rm -v` and `--rm` remove with it. */
  anonymous?: boolean;
  /** A `-v` bind whose missing host directory is created at start, as Docker does (`--mount` refuses instead). */
  createSource?: boolean;
  /** tmpfs mount options (`size=64m`, `mode=1777`, `ro`). */
  tmpfsOptions?: string[];
}
