// SPDX-License-Identifier: Apache-2.0
import { LONG_FLAG_OF_CHAR, VALUE_FLAGS } from './compose-flags.js';

/** `-f a.yaml -p x up -d svc` → leading `--file a.yaml --project-name x`, command `up`, rest `-d svc`. */
export function splitAtCommand(argv: string[]): { leading: string[]; command?: string; rest: string[] } {
  const leading: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('-')) return { leading, command: token, rest: argv.slice(i + 1) };
    leading.push(LONG_FLAG_OF_CHAR.get(token) ?? token);
    if (VALUE_FLAGS.has(token) && i + 1 < argv.length) leading.push(argv[++i]);
  }
  return { leading, rest: [] };
}
