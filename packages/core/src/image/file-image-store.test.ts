// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileContentStore } from '../content/file-content-store.js';
import { FileImageStore } from './file-image-store.js';
import type { ImageRecord } from './image-record.js';

const record = (hexChar: string, repoTags: string[] = []): ImageRecord => ({
  id: `sha256:${hexChar.repeat(64)}`,
  manifestDigest: `sha256:${'f'.repeat(64)}`,
  repoTags,
  repoDigests: [],
  layers: [],
  chainIds: [],
  size: 0,
  recordedAt: new Date(0).toISOString(),
});

describe('FileImageStore', () => {
  let root: string;
  before(async () => (root = await mkdtemp(join(tmpdir(), 'image-store-'))));
  after(() => rm(root, { recursive: true, force: true }));
  const open = () => new FileImageStore(root, new FileContentStore(join(root, 'content')));

  it('resolves by familiar and full name, digest name, full and short id, and persists', async () => {
    const store = open();
    const busybox = { ...record('a'), repoDigests: [`docker.io/library/busybox@sha256:${'d'.repeat(64)}`] };
    await store.add(busybox, 'docker.io/library/busybox:latest');
    await store.add(record('b', ['127.0.0.1:5000/fixtures/x:1']));
    await store.add({ ...record('0'), id: `sha256:ab${'0'.repeat(62)}` });

    for (const store2 of [store, open()]) {
      for (const name of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', `busybox@sha256:${'d'.repeat(64)}`,
        `sha256:${'a'.repeat(64)}`, 'a'.repeat(64), 'aaaa', 'aa', 'sha256:aaa']) {
        assert.equal((await store2.resolve(name)).id, busybox.id, name);
      }
      const found = await store2.resolve('busybox');
      assert.deepEqual(found.repoTags, ['docker.io/library/busybox:latest']);
      assert.equal((await store2.resolve('127.0.0.1:5000/fixtures/x:1')).id, record('b').id);
    }
    await assert.rejects(store.resolve('busybox:other'), /No such image: busybox:other/);
    await assert.rejects(store.resolve('cafe'), (error: Error & { code?: string }) => error.code === 'not-found');
    await assert.rejects(store.resolve('sha256:zz'), /invalid image id/);
    await assert.rejects(store.resolve('a'), /ambiguous/);
    await assert.rejects(store.resolve('Bad_Name'), /invalid reference format/);
  });

  it('moves a tag between images, untags and removes', async () => {
    const store = open();
    await store.add(record('c'), 'docker.io/library/busybox:latest');
    assert.deepEqual((await store.get(record('a').id))?.repoTags, []);
    assert.equal((await store.resolve('busybox')).id, record('c').id);

    const untagged = await store.untag('docker.io/library/busybox:latest');
    assert.equal(untagged?.id, record('c').id);
    assert.deepEqual(untagged?.repoTags, []);
    assert.equal(await store.untag('docker.io/library/busybox:latest'), undefined);

    await store.remove(record('c').id);
    assert.equal(await store.get(record('c').id), undefined);
    assert.equal((await open().list()).length, 3);
    assert.deepEqual((await readdir(root)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('reports an ambiguous short id', async () => {
    const store = open();
    await store.add({ ...record('0'), id: `sha256:ac${'0'.repeat(62)}` });
    await assert.rejects(store.resolve('sha256:a'), /ambiguous/);
    assert.equal((await store.resolve('ab')).id, `sha256:ab${'0'.repeat(62)}`);
  });
});
