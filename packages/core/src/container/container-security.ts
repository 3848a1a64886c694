// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { HostConfig } from '../api/container.js';
import { EngineConfig } from '../config/engine-config.js';
import { FailedPreconditionError } from '../errors/engine-error.js';
import type { ContainerSpecOptions } from '../runtime/container-spec-builder.js';
import {
  DEFAULT_SECCOMP_PROFILE_PATH,
  readSeccompProfile,
  SECCOMP_PROFILE_PACKAGE,
  type SeccompProfile,
} from '../runtime/seccomp-profile.js';
import { parseSecurityOptions } from '../runtime/security-options.js';

/** The default profile, or why it could not be read. */
type Builtin = { profile: SeccompProfile } | { error: Error };

interface Loaded {
  builtin: Builtin;
  /** What containers without `seccomp=…` get: daemon.json's `seccomp-profile`. */
  daemon: 'builtin' | 'unconfined' | SeccompProfile;
}

/**
 * The daemon's side of `--security-opt`: daemon.json's `seccomp-profile` (a file, `unconfined`, or `builtin`, the
 * default) read once at start, and each container's `SecurityOpt` and `Privileged` resolved against it.
 *
 * Docker embeds its default profile; this engine reads Debian's ({@link DEFAULT_SECCOMP_PROFILE_PATH}). A profile
 * configured explicitly must be readable or the daemon does not start, as with dockerd. When the default file is
 * missing, the daemon starts (and says so once in its log) but containers that would use it fail to start with
 * an error that says how to fix it: running them unconfined instead would silently take away a confinement every
 * Docker user counts on. Privileged and `seccomp=unconfined` containers still run.
 */
@injectable()
export class ContainerSecurity {
  /** Where the default profile is; tests point it elsewhere. */
  protected readonly builtinPath: string = DEFAULT_SECCOMP_PROFILE_PATH;
  private loaded?: Promise<Loaded>;

  constructor(@inject(EngineConfig) private readonly config: EngineConfig) {}

  /** Reads the profiles, once; `log` hears of a missing default profile. Done lazily if nobody calls it first. */
  async load(log: (line: string) => void = () => undefined): Promise<void> {
    await this.profiles(log);
  }

  /** Checks `SecurityOpt` at create, so a bad option or inline profile fails there rather than at start. */
  validate(hostConfig: HostConfig): void {
    parseSecurityOptions(hostConfig.SecurityOpt);
  }

  /** The spec options a container's security settings come to; privileged containers get no seccomp filter. */
  async specOptions(hostConfig: HostConfig): Promise<Pick<ContainerSpecOptions, 'seccomp' | 'noNewPrivileges'>> {
    const options = parseSecurityOptions(hostConfig.SecurityOpt);
    const { builtin, daemon } = await this.profiles();
    const wanted = options.seccomp ?? daemon;
    if (hostConfig.Privileged || wanted === 'unconfined') return { noNewPrivileges: options.noNewPrivileges };
    if (wanted !== 'builtin') return { seccomp: wanted, noNewPrivileges: options.noNewPrivileges };
    if ('error' in builtin) {
      // In the message, not a hint: hints do not cross the API, and this is what the user must read.
      throw new FailedPreconditionError(
        `seccomp: the default profile ${this.builtinPath} ${builtinProblem(builtin.error)}: ` +
          `install it with \`apt-get install ${SECCOMP_PROFILE_PACKAGE}\`, or set "seccomp-profile" in daemon.json ` +
          'to another profile or to "unconfined", or run this container with --security-opt seccomp=unconfined',
        { cause: builtin.error },
      );
    }
    return { seccomp: builtin.profile, noNewPrivileges: options.noNewPrivileges };
  }

  /** `/info`'s `SecurityOptions` entry for seccomp, in Docker's words; none while the default profile is missing. */
  async securityOptions(): Promise<string[]> {
    const { builtin, daemon } = await this.profiles();
    if (daemon === 'builtin') return 'profile' in builtin ? ['name=seccomp,profile=builtin'] : [];
    return [`name=seccomp,profile=${daemon === 'unconfined' ? daemon : this.config.seccompProfile}`];
  }

  private profiles(log: (line: string) => void = () => undefined): Promise<Loaded> {
    this.loaded ??= this.read(log);
    return this.loaded;
  }

  private async read(log: (line: string) => void): Promise<Loaded> {
    const configured = this.config.seccompProfile;
    const builtin = await readSeccompProfile(this.builtinPath).then(
      (profile) => ({ profile }),
      (error: Error) => ({ error }),
    );
    if (configured === 'unconfined') return { builtin, daemon: 'unconfined' };
    if (configured !== undefined && configured !== 'builtin') return { builtin, daemon: await readSeccompProfile(configured) };
    if ('error' in builtin) {
      log(`seccomp: ${builtin.error.message}; containers will not start until it is installed (apt-get install ${SECCOMP_PROFILE_PACKAGE}) or daemon.json sets "seccomp-profile"`);
    }
    return { builtin, daemon: 'builtin' };
  }
}

/**
 * Why the default profile is unusable, worded apart from the OS error: the client reads "no such file or directory"
 * in a start failure as a missing command (exit 127).
 */
function builtinProblem(error: Error): string {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'is missing' : 'is not a usable profile';
}
