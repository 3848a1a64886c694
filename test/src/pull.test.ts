// SPDX-License-Identifier: Apache-2.0
// Pulls every fixture image from a real docker-registry into a temporary data root with the real content store,
// image store and overlay snapshotter, through the hub registry plugin, as the daemon does.
import assert from 'node:assert/strict';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chainIds } from '../../packages/core/lib/image/chain-id.js';
import type { ImageConfig } from '../../packages/core/lib/image/image-config.js';
import { assertNothingPartial, makeImageEngine, pullImage, type ImageEngine } from './support/image-engine.js';
import { REPO_ROOT, startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startRegistryProxy } from './support/registry-proxy.js';

describe('image pull from a real registry', { timeout: 300_000 }, () => {
  let registry: FixtureRegistry;
  let engine: ImageEngine;
  const ref = (name: string) => `${registry.host}/fixtures/${name}:latest`;

  before(async () => {
    registry = await startFixtureRegistry();
    engine = await makeImageEngine();
  });
  after(async () => {
    await registry?.stop();
    if (engine) await rm(engine.root, { recursive: true, force: true });
  });

  it('pulls a single-layer OCI image, streaming it into the stores', async () => {
    const { image, statuses, messages } = await pullImage(engine, ref('busybox'));
    const config = await engine.images.config(image);
    assert.deepEqual(image.chainIds, chainIds(config.rootfs.diff_ids));
    assert.deepEqual(image.repoTags, [ref('busybox')]);
    assert.match(image.repoDigests[0], new RegExp(`^${registry.host}/fixtures/busybox@sha256:[a-f0-9]{64}$`));
    assert.equal(image.repoDigests[0].split('@')[1], image.manifestDigest);
    assert.ok(image.size > 500_000, `size ${image.size}`);
    assert.ok((await lstat(join(engine.snapshotter.layerPath(image.chainIds[0]), 'bin', 'busybox'))).isFile());
    for (const digest of [image.id, image.manifestDigest, ...image.layers.map((l) => l.digest)]) {
      assert.ok(await engine.content.has(digest), digest);
    }

    const layerId = image.layers[0].digest.slice(7, 19);
    assert.equal(statuses[0], 'Pulling from fixtures/busybox');
    assert.equal(messages[0].id, 'latest');
    const layerStatuses = messages.filter((m) => m.id === layerId).map((m) => m.status);
    assert.deepEqual([...new Set(layerStatuses)], ['Pulling fs layer', 'Downloading', 'Download complete', 'Extracting', 'Pull complete']);
    const downloading = messages.filter((m) => m.status === 'Downloading');
    assert.equal(downloading.at(-1)?.progressDetail?.current, image.layers[0].size);
    assert.equal(downloading.at(-1)?.progressDetail?.total, image.layers[0].size);
    assert.deepEqual(statuses.slice(-2), [`Digest: ${image.manifestDigest}`, `Status: Downloaded newer image for ${ref('busybox')}`]);
    assert.equal((await engine.images.resolve(ref('busybox'))).id, image.id);
    await assertNothingPartial(engine);
  });

  it('says the image is up to date on a second pull', async () => {
    const { statuses } = await pullImage(engine, ref('busybox'));
    assert.equal(statuses.length, 3);
    assert.match(statuses[1], /^Digest: sha256:/);
    assert.equal(statuses[2], `Status: Image is up to date for ${ref('busybox')}`);
  });

  it('pulls a Docker schema2 image', async () => {
    const fresh = await makeImageEngine();
    try {
      const { image, statuses } = await pullImage(fresh, ref('busybox-v2s2'));
      assert.equal(image.layers[0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip');
      assert.ok(statuses.includes('Pull complete'));
      assert.ok(await fresh.snapshotter.hasLayer(image.chainIds[0]));
    } finally {
      await rm(fresh.root, { recursive: true, force: true });
    }
    // The fixture has busybox's config: the same image under a second name, nothing to download.
    const { image, statuses } = await pullImage(engine, ref('busybox-v2s2'));
    assert.deepEqual(image.repoTags, [ref('busybox-v2s2'), ref('busybox')]);
    assert.equal(statuses.at(-1), `Status: Downloaded newer image for ${ref('busybox-v2s2')}`);
    assert.ok(!statuses.includes('Downloading'));
  });

  it('pulls a multi-layer image with whiteouts and a hardlink to a lower layer', async () => {
    const { image } = await pullImage(engine, ref('multilayer'));
    assert.ok(image.chainIds.length > 2);
    const target = join(engine.root, 'mnt');
    await engine.snapshotter.mountRootfs('pull-test', image.chainIds, target);
    try {
      const expected = (await readFile(join(REPO_ROOT, 'test/fixtures/multilayer.expected'), 'utf8'))
        .split('\n').filter((line) => line && !line.startsWith('#'));
      assert.deepEqual(await listTree(target, '/data'), expected);
    } finally {
      await engine.snapshotter.removeRootfs('pull-test', target);
    }
  });

  it('picks the host platform from an index, or the one asked for, and lists the available ones', async () => {
    const amd64 = await pullImage(engine, ref('multiarch'));
    const platformFile = async (chain: string[]) => (await readFile(join(engine.snapshotter.layerPath(chain.at(-1)!), 'etc', 'platform'), 'utf8')).trim();
    assert.equal(await platformFile(amd64.image.chainIds), 'amd64');
    assert.notEqual(amd64.image.repoDigests[0].split('@')[1], amd64.image.manifestDigest, 'the repo digest is the index');
    const busybox = await engine.images.resolve(ref('busybox'));
    assert.equal(amd64.image.chainIds[0], busybox.chainIds[0]);
    const base = amd64.image.layers[0].digest.slice(7, 19);
    assert.deepEqual(amd64.messages.filter((m) => m.id === base).map((m) => m.status), ['Already exists']);

    const arm64 = await pullImage(engine, ref('multiarch'), 'linux/arm64');
    assert.equal(await platformFile(arm64.image.chainIds), 'arm64');
    assert.equal(((await engine.images.config(arm64.image)) as ImageConfig).architecture, 'arm64');
    assert.deepEqual((await engine.images.get(amd64.image.id))?.repoTags, [], 'the tag moved to the arm64 image');

    await assert.rejects(pullImage(engine, ref('multiarch'), 'linux/s390x'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'not-found');
      assert.match(error.message, /no matching manifest for linux\/s390x.*available: linux\/amd64, linux\/arm64/);
      return true;
    });
  });

  it('pulls an image whose layer is an uncompressed tar', async () => {
    const fresh = await makeImageEngine();
    try {
      const { image, statuses } = await pullImage(fresh, ref('uncompressed'));
      assert.equal(image.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar');
      assert.ok(statuses.includes('Pull complete'));
      assert.equal(image.layers[0].digest, (await fresh.images.config(image)).rootfs.diff_ids[0]);
      assert.ok(await fresh.content.has(image.layers[0].digest));
      assert.ok((await lstat(join(fresh.snapshotter.layerPath(image.chainIds[0]), 'bin', 'busybox'))).isFile());
      await assertNothingPartial(fresh);
    } finally {
      await rm(fresh.root, { recursive: true, force: true });
    }
  });

  it('reports an unknown tag as not found', async () => {
    await assert.rejects(pullImage(engine, `${registry.host}/fixtures/busybox:nope`), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'not-found');
      assert.match(error.message, /fixtures\/busybox:nope: manifest unknown/);
      return true;
    });
  });

  it('refuses a tampered blob and leaves nothing behind', async () => {
    const fresh = await makeImageEngine();
    let tampered = 0;
    const proxy = await startRegistryProxy(registry.host, {
      // Flips the middle byte of every large blob.
      body(req, chunk, offset, length) {
        const middle = Math.floor(length / 2);
        if (req.method !== 'GET' || !req.url?.includes('/blobs/') || length < 100_000 || middle < offset || middle >= offset + chunk.length) return chunk;
        tampered++;
        chunk[middle - offset] ^= 0xff;
        return chunk;
      },
    });
    try {
      await assert.rejects(pullImage(fresh, `${proxy.host}/fixtures/uncompressed:latest`), (error: Error & { code?: string }) => {
        assert.match(error.message, /blob sha256:[a-f0-9]{64}: digest mismatch/);
        return true;
      });
      assert.ok(tampered > 0);
      assert.deepEqual(await fresh.images.list(), []);
      assert.deepEqual(await readdir(join(fresh.root, 'overlay', 'layers')).catch(() => [] as string[]), []);
      const stored = await fresh.content.list();
      const sizes = await Promise.all(stored.map((d) => fresh.content.size(d)));
      assert.ok(sizes.every((size) => (size ?? 0) < 100_000), 'the layer blob was not stored');
      await assertNothingPartial(fresh);
    } finally {
      await proxy.stop();
      await rm(fresh.root, { recursive: true, force: true });
    }
  });

  it('removes images: untags, then deletes unshared layers and blobs, and respects containers using them', async () => {
    const busybox = await engine.images.resolve(ref('busybox'));
    await assert.rejects(engine.remover.remove(busybox.id), /must be forced\) - image is referenced in multiple repositories/);
    // As moby, a repository's last tag takes the repository's digest reference with it.
    const untagged = (await engine.remover.remove(ref('busybox-v2s2'))).map((item) => ('Untagged' in item ? item.Untagged : item.Deleted));
    assert.equal(untagged.length, 2);
    assert.equal(untagged[0], ref('busybox-v2s2'));
    assert.match(untagged[1] ?? '', /\/fixtures\/busybox-v2s2@sha256:[0-9a-f]{64}$/);

    engine.usage.users.set(busybox.id, [{ containerId: 'c'.repeat(64), running: false }]);
    await assert.rejects(engine.remover.remove(ref('busybox')), (error: Error & { code?: string }) => error.code === 'conflict' && /must be forced/.test(error.message));
    engine.usage.users.set(busybox.id, [{ containerId: 'c'.repeat(64), running: true }]);
    await assert.rejects(engine.remover.remove(busybox.id, { force: true }), /cannot be forced/);
    engine.usage.users.clear();

    const base = busybox.chainIds[0];
    const removed = await engine.remover.remove(busybox.id.slice(7, 19));
    assert.deepEqual(removed.at(-1), { Deleted: busybox.id }, 'the base layer stays: the multiarch images use it');
    assert.ok(removed.some((item) => 'Untagged' in item && item.Untagged === ref('busybox')));
    assert.ok(await engine.snapshotter.hasLayer(base));
    await assert.rejects(engine.images.resolve(ref('busybox')), /No such image/);

    // The multiarch amd64 image lost its tag to arm64 and is dangling; both build on busybox's layer.
    const images = await engine.images.list();
    const dangling = images.find((image) => image.repoTags.length === 0 && image.chainIds[0] === base)!;
    const removedDangling = await engine.remover.remove(dangling.id);
    assert.deepEqual(removedDangling.filter((item) => 'Deleted' in item), [{ Deleted: dangling.id }, { Deleted: dangling.chainIds[1] }]);
    await engine.remover.remove(ref('multiarch'));
    for (const image of await engine.images.list()) await engine.remover.remove(image.id);
    assert.deepEqual(await engine.images.list(), []);
    assert.deepEqual(await readdir(join(engine.root, 'overlay', 'layers')), []);
    assert.equal(await engine.snapshotter.hasLayer(base), false);
    assert.equal(await engine.content.has(busybox.layers[0].digest), false);
  });
});

/** `/data`'s tree below `root` as `path\ttype\tmode` lines, sorted, in the format of multilayer.expected. */
async function listTree(root: string, start: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (path: string) => {
    const stats = await lstat(join(root, path));
    const type = stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : 'f';
    lines.push(`${path}\t${type}\t${(stats.mode & 0o7777).toString(8).padStart(4, '0')}`);
    if (stats.isDirectory()) for (const name of await readdir(join(root, path))) await walk(`${path}/${name}`);
  };
  await walk(start);
  return lines.sort();
}
