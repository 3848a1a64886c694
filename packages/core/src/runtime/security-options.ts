// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import { parseSeccompProfile, type SeccompProfile } from './seccomp-profile.js';

/** What `HostConfig.SecurityOpt` (`--security-opt`) asks of a container. */
export interface SecurityOptions {
  /**
   * `seccomp=unconfined`, `seccomp=builtin` (the default profile even when the daemon has another), or a profile
   * given inline: docker's CLI reads `seccomp=<file>` itself and sends the file's JSON, so the daemon never opens
   * a client's path. Absent: the daemon's profile.
   */
  seccomp?: 'unconfined' | 'builtin' | SeccompProfile;
  /** `no-new-privileges[=true|false]`. */
  noNewPrivileges: boolean;
}

/**
 * Parses `SecurityOpt` as dockerd does (moby `daemon/create.go` parseSecurityOpt): `key=value`, or the deprecated
 * `key:value`; `no-new-privileges` alone means true. `label` and `apparmor` are accepted and have no effect, as on a
 * Docker host without SELinux or AppArmor; anything else is refused, in Docker's words.
 */
export function parseSecurityOptions(options: readonly string[] | null | undefined): SecurityOptions {
  const parsed: SecurityOptions = { noNewPrivileges: false };
  for (const option of options ?? []) {
    if (option === 'no-new-privileges') {
      parsed.noNewPrivileges = true;
      continue;
    }
    const separator = option.includes('=') ? '=' : ':';
    const at = option.indexOf(separator);
    if (at < 0) throw new InvalidArgumentError(`invalid --security-opt 1: "${option}"`);
    const [key, value] = [option.slice(0, at), option.slice(at + 1)];
    switch (key) {
      case 'seccomp':
        parsed.seccomp = value === 'unconfined' || value === 'builtin' ? value : parseSeccompProfile(value, '--security-opt seccomp');
        break;
      case 'no-new-privileges':
        parsed.noNewPrivileges = parseGoBool(value, option);
        break;
      case 'label':
      case 'apparmor':
        break;
      default:
        throw new InvalidArgumentError(`invalid --security-opt 2: "${option}"`);
    }
  }
  return parsed;
}

/** Go's strconv.ParseBool, which is what dockerd accepts. */
function parseGoBool(value: string, option: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new InvalidArgumentError(`invalid --security-opt 2: "${option}"`);
}
