// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors/engine-error.js';

const SHA256_DIGEST = /^sha256:([a-f0-9]{64})$/;

/** `sha256:<hex>` of `bytes`. */
export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The hex part of a sha256 digest. Only sha256 is accepted: it is what every registry and image in use produces,
 * and refusing the rest keeps paths built from digests safe.
 */
export function digestHex(digest: string): string {
  const match = SHA256_DIGEST.exec(digest);
  if (!match) {
    throw new InvalidArgumentError(`invalid digest "${digest}": expected sha256:<64 hex digits>`);
  }
  return match[1];
}

export function isSha256Digest(value: string): boolean {
  return SHA256_DIGEST.test(value);
}
