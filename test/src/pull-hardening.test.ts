// SPDX-License-Identifier: Apache-2.0
// Pulls from a real docker-registry through a loopback proxy that lies about digests, drops connections mid-blob
// and counts requests: the engine refuses the lie, resumes with Range requests and downloads shared blobs once.
import assert from 'node:assert/strict';
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256Digest } from '../../packages/core/lib/content/digest.js';
import { assertNothingPartial, makeImageEngine, pullImage, type ImageEngine } from './support/image-engine.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startRegistryProxy, type ProxyBehaviour, type RegistryProxy } from './support/registry-proxy.js';

describe('pull hardening against a real registry', { timeout: 300_000 }, () => {
  let registry: FixtureRegistry;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    registry = await startFixtureRegistry();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await registry?.stop();
  });

  /** A fresh engine and a proxy in front of the fixture registry, both removed after the suite. */
  async function setup(behaviour: ProxyBehaviour = {}): Promise<{ engine: ImageEngine; proxy: RegistryProxy }> {
    const engine = await makeImageEngine();
    const proxy = await startRegistryProxy(registry.host, behaviour);
    cleanups.push(() => rm(engine.root, { recursive: true, force: true }), () => proxy.stop());
    return { engine, proxy };
  }

  it('refuses a manifest whose Docker-Content-Digest is not its content, storing nothing', async () => {
    const lie = sha256Digest('some other manifest');
    const { engine, proxy } = await setup({
      headers: (req, headers) => (req.url?.includes('/manifests/') ? { ...headers, 'docker-content-digest': lie } : headers),
    });
    await assert.rejects(pullImage(engine, `${proxy.host}/fixtures/busybox:latest`), (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'invalid-argument');
      assert.match(error.message, new RegExp(`fixtures/busybox:latest: manifest digest mismatch: registry says ${lie}, content hashes to sha256:[a-f0-9]{64}`));
      assert.match(error.hint ?? '', /not the one it names/);
      return true;
    });
    assert.deepEqual(await engine.images.list(), []);
    assert.deepEqual(await engine.content.list(), []);
    assert.equal(proxy.blobGets().size, 0, 'no blob was fetched');
  });

  it('pulls by digest, recording the digest and no tag', async () => {
    const { engine } = await setup();
    const byTag = await pullImage(engine, `${registry.host}/fixtures/multiarch:latest`);
    const indexDigest = byTag.image.repoDigests[0].split('@')[1];
    const fresh = await setup();
    const name = `${registry.host}/fixtures/multiarch@${indexDigest}`;
    const { image, messages, statuses } = await pullImage(fresh.engine, name);
    assert.equal(image.id, byTag.image.id);
    assert.deepEqual(image.repoTags, []);
    assert.deepEqual(image.repoDigests, [name]);
    assert.deepEqual(messages[0], { status: 'Pulling from fixtures/multiarch', id: indexDigest });
    assert.deepEqual(statuses.slice(-2), [`Digest: ${indexDigest}`, `Status: Downloaded newer image for ${name}`]);
    assert.equal((await fresh.engine.images.resolve(name)).id, image.id);

    // The platform manifest's own digest names the same image.
    const platformName = `${registry.host}/fixtures/multiarch@${image.manifestDigest}`;
    const again = await pullImage(fresh.engine, platformName);
    assert.equal(again.image.id, image.id);
    assert.deepEqual(again.image.repoDigests.sort(), [name, platformName].sort());

    await assert.rejects(pullImage(fresh.engine, `${registry.host}/fixtures/multiarch@${sha256Digest('nothing')}`), (error: Error & { code?: string }) => error.code === 'not-found');
  });

  it('resumes a blob download cut off mid-way with a Range request', async () => {
    let cut = false;
    const { engine, proxy } = await setup({
      body(req, chunk, offset, length) {
        const isLayer = req.method === 'GET' && req.url?.includes('/blobs/') && length > 100_000;
        if (!isLayer || cut || offset + chunk.length < length / 2) return chunk;
        cut = true;
        return 'cut';
      },
    });
    const { image, statuses } = await pullImage(engine, `${proxy.host}/fixtures/uncompressed:latest`);
    assert.ok(cut, 'the proxy cut a download');
    const gets = proxy.blobGets().get(image.layers[0].digest) ?? [];
    assert.equal(gets.length, 2, 'one GET, then one resume');
    assert.equal(gets[0].headers.range, undefined);
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(gets[1].headers.range ?? '')?.[1]);
    assert.ok(resumedFrom > 0 && resumedFrom < image.layers[0].size, `resumed from ${gets[1].headers.range}`);
    assert.ok(statuses.includes('Pull complete'));
    assert.ok((await lstat(join(engine.snapshotter.layerPath(image.chainIds[0]), 'bin', 'busybox'))).isFile());
    assert.equal(await engine.content.size(image.layers[0].digest), image.layers[0].size);
    await assertNothingPartial(engine);
  });

  it('downloads each blob once when pulls that share it run together', async () => {
    const { engine, proxy } = await setup();
    const ref = (name: string) => `${proxy.host}/fixtures/${name}:latest`;
    const results = await Promise.all([ref('multilayer'), ref('multilayer'), ref('busybox'), ref('multiarch')].map((name) => pullImage(engine, name)));
    assert.equal(results[0].image.id, results[1].image.id);
    assert.equal(results[2].image.chainIds[0], results[3].image.chainIds[0], 'busybox and multiarch share their base layer');
    const gets = proxy.blobGets();
    for (const [digest, requests] of gets) assert.equal(requests.length, 1, `${digest} fetched ${requests.length} times`);
    const blobs = new Set(results.flatMap(({ image }) => [image.id, ...image.layers.map((layer) => layer.digest)]));
    assert.deepEqual(new Set(gets.keys()), blobs);
    for (const { messages } of results) assert.ok(messages.some((m) => m.status === 'Pull complete' || m.status === 'Already exists'));
    await assertNothingPartial(engine);
  });
});
