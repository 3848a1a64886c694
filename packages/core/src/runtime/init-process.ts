// SPDX-License-Identifier: Apache-2.0
import { FailedPreconditionError } from '../errors/engine-error.js';
import { findExecutable } from './find-executable.js';
import type { OciSpec } from './oci-spec.js';

/** Where the init binary appears inside a container: Docker's path, so tools that look for it find it. */
export const CONTAINER_INIT_PATH = '/sbin/docker-init';

/**
 * Looked up in PATH when daemon.json has no `init-path`: Docker's own name first, then Debian's static tini. Never
 * the dynamically linked `tini`: it needs a libc in the container, and busybox or distroless images have none.
 */
export const DEFAULT_INIT_BINARIES = ['docker-init', 'tini-static'] as const;

/** daemon.json's `init` (the default for containers that do not say) and `init-path`. */
export interface InitSettings {
  init?: boolean;
  initPath?: string;
}

/**
 * The host path of the init a container runs under as PID 1, or undefined when it runs without one: its own
 * `HostConfig.Init` decides, and when that is unset the daemon's `init` default does (Docker's rule).
 * Throws when an init is wanted but the binary is missing, naming the path that was tried.
 */
export function initBinaryFor(hostInit: boolean | null | undefined, settings: InitSettings, searchPath?: string): string | undefined {
  if (!(hostInit ?? settings.init ?? false)) return undefined;
  if (settings.initPath) {
    const found = findExecutable(settings.initPath, searchPath);
    if (found) return found;
    throw new FailedPreconditionError(
      `init: the init binary "${settings.initPath}" ("init-path" in daemon.json) is not an executable file: ` +
        `install tini (apt-get install tini) or point "init-path" at an existing init such as /usr/bin/tini-static`,
    );
  }
  for (const name of DEFAULT_INIT_BINARIES) {
    const found = findExecutable(name, searchPath);
    if (found) return found;
  }
  // The remedy is in the message, not a hint: hints do not travel in API error responses.
  throw new FailedPreconditionError(
    `init: no init binary found (looked for ${DEFAULT_INIT_BINARIES.join(', ')} in the daemon's PATH): ` +
      `install tini (apt-get install tini) or set "init-path" in daemon.json`,
  );
}

/**
 * The spec with `init` as PID 1, as Docker's (moby `daemon/oci_linux.go` WithInit): the binary bound read-only
 * at {@link CONTAINER_INIT_PATH} and the command run as its child after `--`. The init forwards signals to the
 * command, exits with its status, and reaps the orphans that a plain command as PID 1 would leave as zombies.
 */
export function withInit(spec: OciSpec, init: string | undefined): OciSpec {
  if (init === undefined) return spec;
  return {
    ...spec,
    process: { ...spec.process, args: [CONTAINER_INIT_PATH, '--', ...spec.process.args] },
    mounts: [...spec.mounts, { destination: CONTAINER_INIT_PATH, type: 'bind', source: init, options: ['bind', 'ro'] }],
  };
}
