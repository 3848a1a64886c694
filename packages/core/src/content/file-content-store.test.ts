// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sha256Digest } from './digest.js';
import { FileContentStore } from './file-content-store.js';

describe('FileContentStore', () => {
  let root: string;
  let store: FileContentStore;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'content-store-'));
    store = new FileContentStore(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const chunks = (text: string) => Readable.from(text.match(/.{1,7}/gs)!.map((s) => Buffer.from(s)));

  it('stores, reads and lists a verified blob', async () => {
    const digest = await store.put(Buffer.from('hello'));
    assert.equal(digest, sha256Digest('hello'));
    assert.equal((await store.read(digest)).toString(), 'hello');
    assert.equal(await store.size(digest), 5);
    assert.deepEqual(await store.list(), [digest]);
    const streamed: Buffer[] = [];
    for await (const chunk of store.createReadStream(digest)) streamed.push(chunk as Buffer);
    assert.equal(Buffer.concat(streamed).toString(), 'hello');
  });

  it('refuses content that does not hash to its digest and leaves nothing behind', async () => {
    const claimed = sha256Digest('the real thing');
    await assert.rejects(store.write(claimed, chunks('something else'), 14), /digest mismatch/);
    await assert.rejects(store.write(claimed, chunks('the real thing!'), 14), /size mismatch/);
    assert.equal(await store.has(claimed), false);
    assert.deepEqual(await readdir(join(root, 'ingest')), []);
  });

  it('keeps one intact copy when the same blob is written concurrently', async () => {
    const text = 'x'.repeat(300_000);
    const digest = sha256Digest(text);
    await Promise.all(Array.from({ length: 5 }, () => store.write(digest, chunks(text), text.length)));
    assert.equal((await store.read(digest)).toString(), text);
    assert.deepEqual(await readdir(join(root, 'ingest')), []);
  });

  it('drains (and checks) a stream for a blob it already has', async () => {
    const digest = await store.put(Buffer.from('again'));
    await store.write(digest, chunks('again'));
    await assert.rejects(store.write(digest, chunks('other')), /digest mismatch/);
    assert.equal((await store.read(digest)).toString(), 'again');
  });

  it('reports missing blobs as not found, and cleans up ingest leftovers', async () => {
    const missing = sha256Digest('missing');
    await assert.rejects(store.read(missing), (error: Error & { code?: string }) => error.code === 'not-found');
    await assert.rejects(async () => {
      for await (const _ of store.createReadStream(missing)) void _;
    }, (error: Error & { code?: string }) => error.code === 'not-found');
    await mkdir(join(root, 'ingest'), { recursive: true });
    await writeFile(join(root, 'ingest', 'leftover'), 'partial');
    await store.cleanup();
    assert.equal(await store.has(sha256Digest('hello')), true);
    await assert.rejects(readdir(join(root, 'ingest')), /ENOENT/);
    await assert.rejects(store.has('md5:abc'), /invalid digest/);
  });
});
