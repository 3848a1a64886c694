// SPDX-License-Identifier: Apache-2.0

/** `docker version`'s aligned `Label:   value` lines, values starting at column 20 at every indent. */
export function keyValueLines(indent: number, pairs: [string, string | number | boolean | undefined][]): string {
  return pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([label, value]) => `${`${' '.repeat(indent)}${label}:`.padEnd(19)} ${value}\n`)
    .join('');
}
