// SPDX-License-Identifier: Apache-2.0

/** `key=value` flags (`--label`, `--opt`) as a map; a bare `key` gets `bare(key)`, an empty value as in docker. */
export function keyValueMap<T = string>(values: string[] | undefined, bare: (key: string) => T = () => '' as T): Record<string, string | T> | undefined {
  if (!values?.length) return undefined;
  return Object.fromEntries(
    values.map((entry) => {
      const equals = entry.indexOf('=');
      return equals < 0 ? [entry, bare(entry)] : [entry.slice(0, equals), entry.slice(equals + 1)];
    }),
  );
}
