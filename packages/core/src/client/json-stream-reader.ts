// SPDX-License-Identifier: Apache-2.0
import { EngineError } from '../errors/engine-error.js';

/**
 * Parses a stream of concatenated JSON values (Docker's progress streams: one object per write, usually but not
 * necessarily `\r\n`-separated, and split arbitrarily by the network). Tracks string and nesting state so each value
 * is parsed once, as soon as its closing brace arrives.
 */
export async function* readJsonStream<T>(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let text = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let scanned = 0;
  for await (const piece of source) {
    text += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    for (let i = scanned; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') {
        inString = true;
      } else if (c === '{' || c === '[') {
        if (depth++ === 0) start = i;
      } else if (c === '}' || c === ']') {
        if (--depth === 0) {
          yield parse<T>(text.slice(start, i + 1));
          text = text.slice(i + 1);
          i = -1;
          start = -1;
        }
      } else if (depth === 0 && !/\s/.test(c)) {
        throw new EngineError('internal', `json stream: unexpected ${JSON.stringify(c)} between values`);
      }
    }
    scanned = text.length;
  }
  if (text.trim() !== '') throw new EngineError('internal', 'json stream: truncated value at end of stream');
}

function parse<T>(value: string): T {
  try {
    return JSON.parse(value) as T;
  } catch (cause) {
    throw new EngineError('internal', `json stream: invalid value ${value.slice(0, 80)}`, { cause });
  }
}
