// SPDX-License-Identifier: Apache-2.0

/** `key=value` flags (`--label`, `--opt`) as a map; a bare `key` gets an empty value, as in docker. */
export function keyValueMap(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  return Object.fromEntries(
    values.map((entry) => {
      const equals = entry.indexOf('=');
      return equals < 0 ? [entry, ''] : [entry.slice(0, equals), entry.slice(equals + 1)];
    }),
  );
}
