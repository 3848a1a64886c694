// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';

/**
 * Splits a command string into words as a POSIX shell would without expanding anything: quotes group, a
 * backslash escapes the next character (only `\\`, `\"`, `\$` and `` \` `` inside double quotes). Compose turns
 * `command: a "b c"` into `["a", "b c"]` this way.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new InvalidArgumentError(`unterminated single quote in "${line}"`);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '\\"$`'.includes(line[j + 1] ?? '')) j++;
        word += line[j];
      }
      if (j >= line.length) throw new InvalidArgumentError(`unterminated double quote in "${line}"`);
      i = j;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
