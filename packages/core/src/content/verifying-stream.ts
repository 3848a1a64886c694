// SPDX-License-Identifier: Apache-2.0
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { digestHex } from './digest.js';

/**
 * Passes bytes through unchanged while hashing and counting them, and fails the stream at the end (or as soon as
 * there are too many bytes) when they are not the expected content. Whatever consumes the stream must therefore
 * treat its data as provisional until the stream has ended without error.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private received = 0;

  /** @param what names the content in errors (`blob sha256:…`). */
  constructor(
    readonly expectedDigest: string,
    readonly expectedSize: number | undefined,
    private readonly what = `blob ${expectedDigest}`,
  ) {
    super();
    digestHex(expectedDigest);
  }

  /** Bytes seen so far. */
  get bytesReceived(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.expectedSize !== undefined && this.received > this.expectedSize) {
      callback(this.sizeError());
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.received !== this.expectedSize) {
      callback(this.sizeError());
      return;
    }
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) {
      callback(new InvalidArgumentError(`${this.what}: digest mismatch: content hashes to ${actual}`, {
        hint: 'the registry or the local store returned corrupted content; retry, and report it if it persists',
      }));
      return;
    }
    callback();
  }

  private sizeError(): Error {
    return new InvalidArgumentError(
      `${this.what}: size mismatch: expected ${this.expectedSize} bytes, got ${this.received}${this.received > (this.expectedSize ?? 0) ? ' or more' : ''}`,
    );
  }
}
