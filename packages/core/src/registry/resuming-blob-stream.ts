// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../errors/engine-error.js';

/** Opens the blob again from byte `offset` (a `Range` request when it is not 0). */
export type BlobOpener = (offset: number) => Promise<IncomingMessage>;

export interface ResumeOptions {
  /** How many times a dropped download is picked up again (Docker gives a layer 5 attempts in all). */
  maxResumes?: number;
  /** Pause before the n-th resume is n times this, so a registry that is restarting gets a moment. */
  backoffMs?: number;
  signal?: AbortSignal;
}

/**
 * A blob body that survives dropped connections: when the response breaks off before `size` bytes, the rest is
 * asked for with `Range: bytes=<received>-` and appended, so a large layer is not downloaded again from the start.
 * A registry that ignores the range (answers 200) has its first `received` bytes skipped. The bytes are not
 * verified here: the caller hashes the whole stream, which also catches a registry serving different content on
 * the second request.
 */
export function resumingBlobStream(first: IncomingMessage, size: number, reopen: BlobOpener, what: string, options: ResumeOptions = {}): Readable {
  const maxResumes = options.maxResumes ?? 4;
  const backoffMs = options.backoffMs ?? 200;
  async function* body(): AsyncGenerator<Buffer> {
    let response = first;
    let received = 0;
    for (let resumes = 0; ; ) {
      let failure: unknown;
      try {
        let skip = response.statusCode === 206 ? 0 : received;
        for await (const chunk of response as AsyncIterable<Buffer>) {
          const data = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
          skip -= chunk.length - data.length;
          received += data.length;
          if (data.length) yield data;
        }
      } catch (error) {
        options.signal?.throwIfAborted();
        failure = error;
      }
      // More bytes than announced is the verifier's to report; only a short body is worth resuming.
      if (received >= size) return;
      if (resumes >= maxResumes) {
        throw new UnavailableError(`${what}: download broke off after ${received} of ${size} bytes, ${resumes} times resumed`, {
          cause: failure,
          hint: 'the connection to the registry keeps dropping; check the network or proxy, then pull again',
        });
      }
      resumes++;
      await sleep(backoffMs * resumes, undefined, { signal: options.signal });
      response = await reopen(received);
      checkRange(response, received, what);
    }
  }
  return Readable.from(body(), { objectMode: false });
}

/** A 206 must continue exactly where the download stopped; anything else would splice wrong bytes together. */
function checkRange(response: IncomingMessage, offset: number, what: string): void {
  if (response.statusCode !== 206) return;
  const range = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(response.headers['content-range'] ?? '');
  if (!range || Number(range[1]) !== offset) {
    response.destroy();
    throw new UnavailableError(`${what}: registry answered a resume from byte ${offset} with range "${response.headers['content-range'] ?? ''}"`);
  }
}
