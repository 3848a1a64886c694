// SPDX-License-Identifier: Apache-2.0

/**
 * The normalised compose model the loader produces and every compose command consumes: one long form per key
 * (the shape `docker compose config` prints), absolute host paths, variables interpolated, files merged,
 * `extends`/`include` applied, profiles decided. Keys the spec has but this file does not name are kept as
 * read (see the index signatures) and reported by the loader when the engine cannot honour them.
 */
export interface ComposeProject {
  name: string;
  /** The project directory: relative paths in the files were resolved against it. */
  workingDir: string;
  /** Absolute paths of the files merged, in order. */
  composeFiles: string[];
  /** Services enabled by the active profiles, by name. */
  services: Record<string, ServiceConfig>;
  /** Services left out because none of their profiles is active. */
  disabledServices: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
  /** Top-level `x-*` keys. */
  extensions: Record<string, unknown>;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** Variables from env_file and environment merged; null: declared without a value and unset on the host. */
  environment?: Record<string, string | null>;
  ports?: PortConfig[];
  expose?: string[];
  volumes?: ServiceVolume[];
  /** Networks to join, null meaning "defaults". Absent only when `network_mode` is set. */
  networks?: Record<string, ServiceNetworkConfig | null>;
  network_mode?: string;
  /** `host`, `container:<name|id>`, or `service:<name>` (that service's first container). */
  pid?: string | null;
  depends_on?: Record<string, DependsOnConfig>;
  healthcheck?: HealthcheckConfig;
  restart?: string;
  deploy?: DeployConfig;
  scale?: number;
  labels?: Record<string, string>;
  user?: string;
  working_dir?: string;
  tmpfs?: string[];
  init?: boolean;
  stop_signal?: string;
  /** Go duration (`10s`, `1m30s`). */
  stop_grace_period?: string;
  secrets?: ServiceFileReference[];
  configs?: ServiceFileReference[];
  hostname?: string;
  /** `host=ip` entries. */
  extra_hosts?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  profiles?: string[];
  container_name?: string;
  /** A single value is both the soft and the hard limit. */
  ulimits?: Record<string, number | { soft: number; hard: number }>;
  read_only?: boolean;
  sysctls?: Record<string, string | number | boolean | null>;
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  /** Bytes, or a size with a unit (`64m`). */
  shm_size?: number | string;
  /** `src[:dst][:perms]`, or the long form. */
  devices?: (string | { source: string; target?: string; permissions?: string })[];
  group_add?: (string | number)[];
  tty?: boolean;
  stdin_open?: boolean;
  domainname?: string;
  security_opt?: string[];
  [key: string]: unknown;
}

export interface BuildConfig {
  context?: string;
  dockerfile?: string;
  args?: Record<string, string | null>;
  labels?: Record<string, string>;
  target?: string;
  network?: string;
  [key: string]: unknown;
}

export interface PortConfig {
  mode: string;
  host_ip?: string;
  target: number;
  /** A port or a `from-to` range, as a string like docker compose prints it. */
  published?: string;
  protocol: string;
  [key: string]: unknown;
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Absolute host path for `bind`; volume name (key of `volumes`) for `volume`; absent for anonymous volumes. */
  source?: string;
  target: string;
  read_only?: boolean;
  bind?: { create_host_path?: boolean; propagation?: string; selinux?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number | string; mode?: number };
  [key: string]: unknown;
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  [key: string]: unknown;
}

export interface DependsOnConfig {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart?: boolean;
}

export interface HealthcheckConfig {
  /** `["CMD", …]`, `["CMD-SHELL", cmd]` or `["NONE"]`. */
  test?: string[];
  interval?: string;
  timeout?: string;
  start_period?: string;
  start_interval?: string;
  retries?: number;
  disable?: boolean;
}

export interface DeployConfig {
  replicas?: number;
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  [key: string]: unknown;
}

export interface ServiceFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface NetworkConfig {
  /** The engine-side name (`<project>_<key>` unless set or external). */
  name: string;
  external?: boolean;
  driver?: string;
  internal?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface VolumeConfig {
  name: string;
  external?: boolean;
  driver?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface FileObjectConfig {
  name?: string;
  /** Absolute path of the content. */
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  [key: string]: unknown;
}
