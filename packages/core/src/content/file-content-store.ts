// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../errors/engine-error.js';
import type { ContentStore } from './content-store.js';
import { digestHex, sha256Digest } from './digest.js';
import { VerifyingStream } from './verifying-stream.js';

/**
 * {@link ContentStore} on the local file system, laid out as containerd's: `<root>/blobs/sha256/<hex>`, with
 * writes in progress under `<root>/ingest/`. Every writer has its own temporary file and renames it into place
 * only after verification; rename is atomic, and two writers of one digest write identical bytes, so concurrent
 * writes of the same blob cannot corrupt it.
 */
export class FileContentStore implements ContentStore {
  private readonly blobDir: string;
  private readonly ingestDir: string;

  constructor(readonly root: string) {
    this.blobDir = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
  }

  /** Path of a blob's file (which may not exist). */
  blobPath(digest: string): string {
    return join(this.blobDir, digestHex(digest));
  }

  async has(digest: string): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (error) {
      throw isMissing(error) ? notFound(digest, error) : error;
    }
  }

  createReadStream(digest: string): Readable {
    const file = createReadStream(this.blobPath(digest));
    // Translated here so a consumer sees the engine's not-found rather than a bare ENOENT.
    const out = new PassThrough();
    file.once('error', (error) => out.destroy(isMissing(error) ? notFound(digest, error) : error));
    return file.pipe(out);
  }

  async write(digest: string, content: Readable, size?: number, options: { verified?: boolean } = {}): Promise<void> {
    const target = this.blobPath(digest);
    const verifier = options.verified ? new PassThrough() : new VerifyingStream(digest, size);
    if (await this.has(digest)) {
      // Still consume (and check) the stream: callers may be teeing it elsewhere and would stall otherwise.
      await pipeline(content, verifier, new Writable({ write: (_chunk, _encoding, done) => done() }));
      return;
    }
    await mkdir(this.ingestDir, { recursive: true });
    await mkdir(this.blobDir, { recursive: true });
    const temp = join(this.ingestDir, `${digestHex(digest)}-${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(content, verifier, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async put(bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    if (!(await this.has(digest))) await this.write(digest, Readable.from([bytes]), bytes.length);
    return digest;
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.blobDir)).filter((name) => /^[a-f0-9]{64}$/.test(name)).map((hex) => `sha256:${hex}`);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Must run before any write starts (at daemon start): it cannot tell a crashed write from a live one. */
  async cleanup(): Promise<void> {
    await rm(this.ingestDir, { recursive: true, force: true });
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function notFound(digest: string, cause: unknown): Error {
  return new NotFoundError(`content ${digest}: not found`, { cause });
}
