// SPDX-License-Identifier: Apache-2.0
import { Transform, type TransformCallback } from 'node:stream';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Docker's default detach sequence. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/**
 * Parses Docker's detach-keys notation (moby `pkg/term.ToBytes`): comma-separated keys, each a single character or
 * `ctrl-<c>` with `<c>` one of `a`–`z`, `@`, `[`, `\`, `]`, `^`, `_`. Empty means the default.
 */
export function parseDetachKeys(spec: string | null | undefined): Buffer {
  const keys = spec || DEFAULT_DETACH_KEYS;
  const bytes = keys.split(',').map((key) => {
    const lower = key.toLowerCase();
    if (lower.startsWith('ctrl-') && key.length === 6) {
      const c = lower.charCodeAt(5);
      if (c >= 0x61 && c <= 0x7a) return c - 0x60;
      const special = '@[\\]^_'.indexOf(lower[5]);
      if (special !== -1) return special === 0 ? 0 : 27 + special - 1;
    } else if (key.length === 1) {
      return key.charCodeAt(0);
    }
    throw new InvalidArgumentError(`Invalid detach keys (${keys}) provided`, { hint: 'use a list like ctrl-p,ctrl-q' });
  });
  return Buffer.from(bytes);
}

/**
 * Passes input through until the detach sequence is typed, then emits `detach` and ends. Bytes that start the
 * sequence are held until it is complete or broken; a broken one is passed on, as moby's escape proxy does.
 */
export class DetachKeysFilter extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.detached) return callback();
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.detached = true;
          if (out.length > 0) this.push(Buffer.from(out));
          this.emit('detach');
          this.push(null);
          return callback();
        }
        continue;
      }
      if (this.matched > 0) {
        out.push(...this.keys.subarray(0, this.matched));
        this.matched = 0;
        if (byte === this.keys[0]) {
          this.matched = 1;
          continue;
        }
      }
      out.push(byte);
    }
    if (out.length > 0) this.push(Buffer.from(out));
    callback();
  }
}
