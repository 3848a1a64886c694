// SPDX-License-Identifier: Apache-2.0
// The text forms of `docker run` options that docker's CLI and compose files share, parsed into the API's shapes.
import type { RestartPolicy } from '../api/container.js';
import type { DeviceMapping, Ulimit } from '../api/run-options.js';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** `nofile=1024` or `nofile=1024:2048` (go-units `ParseUlimit`); -1 is unlimited. */
export function parseUlimit(text: string): Ulimit {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`invalid ulimit argument: ${text}`);
  const values = text.slice(equals + 1).split(':');
  if (values.length > 2) {
    throw new InvalidArgumentError(`too many limit value arguments - ${text.slice(equals + 1)}, can only have up to two, \`soft[:hard]\``);
  }
  const [soft, hard = soft] = values.map((value) => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`invalid ulimit value: ${value}`);
    return Number(value);
  });
  return { Name: text.slice(0, equals), Soft: soft, Hard: hard };
}

/**
 * `src[:dst][:perms]` (docker's CLI `parseDevice`): a second part made only of `r`, `w` and `m` is the
 * permissions, and the device keeps its host path.
 */
export function parseDeviceMapping(text: string): DeviceMapping {
  const parts = text.split(':');
  if (parts.length > 3 || !parts[0]) throw new InvalidArgumentError(`invalid device specification: ${text}`);
  const [source, second, third] = parts;
  const secondIsMode = parts.length === 2 && /^[rwm]{1,3}$/.test(second);
  return {
    PathOnHost: source,
    PathInContainer: second === undefined || secondIsMode ? source : second,
    CgroupPermissions: third ?? (secondIsMode ? second : 'rwm'),
  };
}

/** `no|always|unless-stopped|on-failure[:max-retries]`, as docker's CLI parses `--restart`; the daemon checks the name. */
export function parseRestartPolicy(text: string): RestartPolicy {
  const [name, retries, ...rest] = text.split(':');
  const count = retries === undefined ? undefined : Number(retries);
  if (rest.length > 0 || (count !== undefined && !Number.isInteger(count))) {
    throw new InvalidArgumentError(`invalid restart policy format: '${text}'`, { hint: 'use no, always, unless-stopped or on-failure[:max-retries]' });
  }
  return { Name: name as RestartPolicy['Name'], MaximumRetryCount: count };
}
