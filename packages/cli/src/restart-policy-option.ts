// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, type RestartPolicy } from '@tsc-engine/core/client';

/** `--restart no|always|unless-stopped|on-failure[:max-retries]`, as docker's CLI parses it. */
export function parseRestartPolicy(value: string | undefined): RestartPolicy | undefined {
  if (value === undefined) return undefined;
  const [name, retries, ...rest] = value.split(':');
  const count = retries === undefined ? undefined : Number(retries);
  if (rest.length > 0 || (count !== undefined && !Number.isInteger(count))) {
    throw new InvalidArgumentError(`invalid restart policy format: '${value}'`, { hint: 'use no, always, unless-stopped or on-failure[:max-retries]' });
  }
  return { Name: name as RestartPolicy['Name'], MaximumRetryCount: count };
}
