// SPDX-License-Identifier: Apache-2.0
// Volume and mount wire types of the Docker Engine API (v1.41 shape).

/** A volume as `GET /volumes/{name}` and `POST /volumes/create` return it. */
export interface Volume {
  Name: string;
  Driver: string;
  /** Host path of the volume's data. */
  Mountpoint: string;
  /** RFC 3339. */
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local' | 'global';
  Options: Record<string, string>;
  Status?: Record<string, unknown>;
  UsageData?: { Size: number; RefCount: number } | null;
}

/** Body of `POST /volumes/create`. */
export interface VolumeCreateRequest {
  /** Left out, the daemon picks a random 64-hex name. */
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** `GET /volumes`. */
export interface VolumeListResponse {
  Volumes: Volume[];
  Warnings: string[];
}

/** `POST /volumes/prune`. */
export interface VolumePruneResponse {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}

export type MountType = 'bind' | 'volume' | 'tmpfs';

/** An entry of `HostConfig.Mounts` (`--mount`). */
export interface MountSpec {
  Type: MountType;
  /** Host path (bind), volume name (volume, empty for an anonymous one); empty for tmpfs. */
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** An entry of `Mounts` in container inspect and list. */
export interface MountPoint {
  Type: MountType;
  /** Volume name; left out for binds and tmpfs. */
  Name?: string;
  Source: string;
  Destination: string;
  /** Volume driver; left out for binds and tmpfs. */
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}
