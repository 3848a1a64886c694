// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ImageRunConfig } from '../image/image-config.js';
import { detectCgroupVersion } from '../shared/cgroup-version.js';
import { containerCapabilities, grantableCapabilities } from './capabilities.js';
import type { ConsoleSize } from './console-size.js';
import { resolveContainerUser } from './container-user.js';
import {
  DEFAULT_CAPABILITIES,
  DEFAULT_DEVICE_RULES,
  DEFAULT_MOUNTS,
  DEFAULT_PATH,
  DEFAULT_READONLY_PATHS,
  defaultMaskedPaths,
} from './default-spec.js';
import { withInit } from './init-process.js';
import { ociSeccomp } from './oci-seccomp.js';
import type { OciMount, OciResourceLimits, OciSpec } from './oci-spec.js';
import type { SeccompProfile } from './seccomp-profile.js';

/** What a container's spec is made of: the image's run config, the user's overrides and where the rootfs is. */
export interface ContainerSpecOptions {
  id: string;
  /** Absolute path of the mounted root filesystem. */
  rootfs: string;
  image?: ImageRunConfig;
  /** `KEY=value` entries overriding the image's. */
  env?: string[];
  /** `--entrypoint`: replaces the image's and drops the image's Cmd; `[]` (`--entrypoint ""`) clears it. */
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  /** `uid[:gid]` or `name[:group]`, resolved in the rootfs; overrides the image's User. */
  user?: string;
  /** Defaults to the first 12 characters of the id, as Docker's does. */
  hostname?: string;
  tty?: boolean;
  /** The terminal's size from its creation (`HostConfig.ConsoleSize`), before any resize; only with `tty`. */
  consoleSize?: ConsoleSize;
  readonlyRootfs?: boolean;
  /** Parent of the task's cgroup (cgroupfs driver). */
  cgroupParent?: string;
  /** Binds, volumes and tmpfs mounts, parents first; they replace default mounts at the same destination. */
  mounts?: OciMount[];
  /** `--cap-add` / `--cap-drop`: names with or without `CAP_`, or `ALL`. */
  capAdd?: string[];
  capDrop?: string[];
  /** `--privileged`: every capability, every device, nothing masked or read-only in /proc and /sys. */
  privileged?: boolean;
  /** `--init`: host path of the init to run as PID 1 (resolved by `initBinaryFor` in init-process.ts). */
  init?: string;
  /** The seccomp profile, resolved against the container's capabilities; none: unconfined. Ignored if privileged. */
  seccomp?: SeccompProfile;
  /** `--security-opt no-new-privileges`. */
  noNewPrivileges?: boolean;
  /** Memory, CPU and pids limits for `linux.resources` (see `ociResources` in resource-limits.ts). */
  resources?: OciResourceLimits;
}

export const DEFAULT_CGROUP_PARENT = '/tsc-engine';

/**
 * Builds a container's OCI spec the way Docker does (moby `daemon/oci_linux.go`): Docker's default security
 * profile, the process from image config and user options, and a private network namespace with only loopback.
 *
 * Not applied: AppArmor. Docker sets no rlimits by default; the task inherits the engine's.
 */
export async function buildContainerSpec(options: ContainerSpecOptions): Promise<OciSpec> {
  const image = options.image ?? {};
  const hostname = options.hostname || options.id.slice(0, 12);
  const cwd = options.workingDir || image.WorkingDir || '/';
  if (!cwd.startsWith('/')) {
    throw new InvalidArgumentError(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  }
  const [user, maskedPaths, cgroupVersion, grantable] = await Promise.all([
    resolveContainerUser(options.rootfs, options.user ?? image.User ?? ''),
    defaultMaskedPaths(),
    detectCgroupVersion(),
    grantableCapabilities(),
  ]);
  const baseEnv = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${hostname}`, ...(options.tty ? ['TERM=xterm'] : [])];
  const namespaces = ['mount', 'network', 'uts', 'pid', 'ipc', ...(cgroupVersion === '2' ? ['cgroup'] : [])];
  const privileged = options.privileged === true;
  const capabilities = privileged
    ? grantable
    : containerCapabilities(DEFAULT_CAPABILITIES, grantable, options.capAdd, options.capDrop);
  return withInit({
    ociVersion: '1.0.2',
    process: {
      terminal: options.tty ?? false,
      ...(options.tty && options.consoleSize ? { consoleSize: options.consoleSize } : {}),
      user,
      args: containerArgs(image, options),
      env: mergeEnv(baseEnv, image.Env ?? [], options.env ?? []),
      cwd,
      capabilities: { bounding: capabilities, effective: capabilities, permitted: capabilities },
      noNewPrivileges: options.noNewPrivileges ?? false,
    },
    root: { path: options.rootfs, readonly: options.readonlyRootfs ?? false },
    hostname,
    mounts: [
      ...DEFAULT_MOUNTS.filter((mount) => !options.mounts?.some((m) => m.destination === mount.destination)).map(
        // Privileged containers get /sys and its cgroups writable, as Docker's.
        (mount) => ({ ...mount, options: (mount.options ?? []).filter((option) => !(privileged && option === 'ro')) }),
      ),
      ...(options.mounts ?? []),
    ],
    linux: {
      namespaces: namespaces.map((type) => ({ type })),
      resources: { devices: privileged ? [{ allow: true, access: 'rwm' }] : DEFAULT_DEVICE_RULES.map((rule) => ({ ...rule })), ...options.resources },
      cgroupsPath: `${options.cgroupParent ?? DEFAULT_CGROUP_PARENT}/${options.id}`,
      maskedPaths: privileged ? [] : maskedPaths,
      readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
      ...(options.seccomp && !privileged && { seccomp: ociSeccomp(options.seccomp, { capabilities }) }),
    },
  }, options.init);
}

/**
 * Docker's rule (moby `daemon/create.go` merge): a user entrypoint replaces the image's and drops its Cmd; without
 * one, the user's Cmd replaces the image's Cmd after the image's Entrypoint.
 */
export function containerArgs(image: ImageRunConfig, options: Pick<ContainerSpecOptions, 'entrypoint' | 'cmd'>): string[] {
  const userCmd = options.cmd?.length ? options.cmd : undefined;
  const args = options.entrypoint?.length
    ? [...options.entrypoint, ...(userCmd ?? [])]
    : [...(options.entrypoint ?? image.Entrypoint ?? []), ...(userCmd ?? image.Cmd ?? [])];
  if (args.length === 0) throw new InvalidArgumentError('no command specified');
  return args;
}

/** Later lists override earlier ones by variable name, keeping the first position (Docker's ReplaceOrAppendEnvValues). */
export function mergeEnv(...lists: string[][]): string[] {
  const byName = new Map<string, string>();
  for (const entry of lists.flat()) {
    const eq = entry.indexOf('=');
    // `KEY` without a value means "take it from the client's environment", which the client has already done.
    if (eq <= 0) continue;
    byName.set(entry.slice(0, eq), entry);
  }
  return [...byName.values()];
}
