// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';

/** `--filter name=value` flags as the API's filters map (several values of one name are alternatives). */
export function parseFilterFlags(values: string[] = []): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const filter of values) {
    const equals = filter.indexOf('=');
    if (equals <= 0) throw new InvalidArgumentError(`bad format of filter (expected name=value): ${filter}`);
    (filters[filter.slice(0, equals)] ??= []).push(filter.slice(equals + 1));
  }
  return filters;
}
