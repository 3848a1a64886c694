// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { interpolate, type VariableLookup } from './interpolation.js';

/**
 * Parses a `.env`/`env_file` file as docker compose does: `KEY=value` lines, optional `export `, `#` comments (and
 * ` #` after an unquoted value), single quotes taken literally, double quotes with `\n`-style escapes, values
 * interpolated against variables defined earlier in the file and then `lookup`. A bare `KEY` takes its value from
 * `lookup` and is left out when that has none.
 */
export function parseDotenv(text: string, lookup: VariableLookup, file: string): Map<string, string> {
  const vars = new Map<string, string>();
  const resolve: VariableLookup = (name) => vars.get(name) ?? lookup(name);
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const lineEnd = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    const head = src.slice(i, lineEnd).trim();
    if (head === '' || head.startsWith('#')) {
      i = lineEnd + 1;
      line++;
      continue;
    }
    const match = /^\s*(?:export\s+)?([^\s=#]+)\s*(=?)[ \t]*/.exec(src.slice(i, lineEnd));
    if (!match || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(match[1]) || (!match[2] && match[0].length < lineEnd - i)) {
      throw new InvalidArgumentError(`${file}:${line}: unexpected character in variable name "${head}"`);
    }
    const [whole, key, equals] = match;
    if (!equals) {
      const value = lookup(key);
      if (value !== undefined) vars.set(key, value);
      i = lineEnd + 1;
      line++;
      continue;
    }
    const start = i + whole.length;
    const quote = src[start];
    if (quote === "'" || quote === '"') {
      const end = closingQuote(src, start + 1, quote);
      if (end < 0) throw new InvalidArgumentError(`${file}:${line}: unterminated quoted value for ${key}`);
      const body = src.slice(start + 1, end);
      vars.set(key, quote === "'" ? body : interpolate(unescapeDouble(body), { lookup: resolve }));
      line += body.split('\n').length - 1;
      const after = src.indexOf('\n', end);
      i = after < 0 ? src.length : after + 1;
    } else {
      const raw = src.slice(start, lineEnd).replace(/\s+#.*$/, '').trim();
      vars.set(key, interpolate(raw, { lookup: resolve }));
      i = lineEnd + 1;
    }
    line++;
  }
  return vars;
}

function closingQuote(s: string, from: number, quote: string): number {
  for (let i = from; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') i++;
    else if (s[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function unescapeDouble(body: string): string {
  // `\$` stays `$$` so interpolation reads it as a literal dollar.
  return body.replace(/\\(.)/g, (_, c: string) => (c === '$' ? '$$' : (ESCAPES[c] ?? `\\${c}`)));
}
