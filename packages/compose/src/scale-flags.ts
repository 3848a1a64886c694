// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';

/** `--scale web=3 --scale db=1` as a map. */
export function parseScaleFlags(values: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    values.map((value) => {
      const match = /^([^=]+)=(\d+)$/.exec(value);
      if (!match) throw new InvalidArgumentError(`invalid --scale "${value}"`, { hint: 'write it as SERVICE=NUMBER, as in --scale web=3' });
      return [match[1], Number(match[2])];
    }),
  );
}
