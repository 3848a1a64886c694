// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes a layer tar through while hashing it: its diff id is the sha256 of exactly these bytes. */
export class DiffIdTap extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** Valid once the stream has ended. */
  result(): { diffId: string; size: number } {
    return { diffId: `sha256:${this.hash.digest('hex')}`, size: this.bytes };
  }
}
