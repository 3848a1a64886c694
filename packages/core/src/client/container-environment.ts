// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';

type Lookup = (name: string) => string | undefined;

/**
 * `-e` values as docker reads them: `VAR=value` is kept; a bare `VAR` copies the variable from the CLI's own
 * environment, or is dropped when unset there.
 */
export function resolveEnvironment(entries: string[], lookup: Lookup): string[] {
  return entries.flatMap((entry) => {
    if (entry.includes('=')) {
      if (entry.startsWith('=')) throw new InvalidArgumentError(`invalid environment variable: ${entry}`);
      return [entry];
    }
    const value = lookup(entry);
    return value === undefined ? [] : [`${entry}=${value}`];
  });
}

/**
 * An `--env-file` as docker parses it: one `VAR=value` (value verbatim) or bare `VAR` per line, blank lines and
 * `#` comments skipped, leading whitespace ignored.
 */
export function parseEnvFile(content: string, file: string, lookup: Lookup): string[] {
  const entries: string[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const name = line.split('=', 1)[0];
    if (/\s/.test(name)) throw new InvalidArgumentError(`env file ${file} line ${index + 1}: variable '${name}' contains whitespaces`);
    entries.push(...resolveEnvironment([line], lookup));
  });
  return entries;
}
