// SPDX-License-Identifier: Apache-2.0
// `docker tag` and `docker push` against a real docker-registry, through a loopback proxy that counts requests:
// pull a fixture, tag it into another repository, push (uploading, mounting or skipping layers), pull it back
// into a fresh data root.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ProgressMessage } from '../../packages/core/lib/api/progress-message.js';
import { sha256Digest } from '../../packages/core/lib/content/digest.js';
import type { PushOptions } from '../../packages/core/lib/image/image-pusher.js';
import { DistributionClient } from '../../packages/core/lib/registry/distribution-client.js';
import { MediaType } from '../../packages/core/lib/registry/media-types.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { makeImageEngine, pullImage, type ImageEngine } from './support/image-engine.js';
import { startRegistryProxy, type RegistryProxy } from './support/registry-proxy.js';

type CodedError = Error & { code?: string };

describe('image tag and push to a real registry', { timeout: 300_000 }, () => {
  let registry: FixtureRegistry;
  let proxy: RegistryProxy;
  let engine: ImageEngine;
  const engines: ImageEngine[] = [];

  before(async () => {
    registry = await startFixtureRegistry();
    // Requests for chunked uploads are told a minimum chunk length, as some registries (ECR) do.
    proxy = await startRegistryProxy(registry.host, {
      headers: (req, headers) =>
        req.method === 'POST' && req.url?.startsWith('/v2/chunked/') ? { ...headers, 'oci-chunk-min-length': '100000' } : headers,
    });
    engine = await makeImageEngine();
    engines.push(engine);
  });
  after(async () => {
    for (const each of engines) await rm(each.root, { recursive: true, force: true });
    await proxy?.stop();
    await registry?.stop();
  });

  async function push(target: ImageEngine, name: string, options: PushOptions = {}) {
    const messages: ProgressMessage[] = [];
    const results = await target.pusher.push(name, options, (m) => messages.push(m));
    return { results, messages, statuses: messages.map((m) => m.status ?? '') };
  }

  const since = (mark: number) => proxy.requests.slice(mark);

  it('tags an image under another name, and refuses digests and unknown images', async () => {
    // Pulled from the registry itself, not the proxy: to the proxy's host these layers are unknown, so they upload.
    const { image } = await pullImage(engine, `${registry.host}/fixtures/busybox:latest`);
    const tagged = await engine.tagger.tag(`${registry.host}/fixtures/busybox`, `${proxy.host}/pushed/busybox`);
    assert.equal(tagged.id, image.id);
    assert.deepEqual([...tagged.repoTags].sort(), [`${proxy.host}/pushed/busybox:latest`, `${registry.host}/fixtures/busybox:latest`].sort());
    assert.deepEqual(tagged.repoDigests, image.repoDigests);
    await engine.tagger.tag(image.id.slice(7, 19), `${proxy.host}/pushed/busybox:second`);
    assert.equal((await engine.images.resolve(`${proxy.host}/pushed/busybox:second`)).id, image.id);

    await assert.rejects(engine.tagger.tag(image.id, `${proxy.host}/pushed/busybox@${image.manifestDigest}`), (error: CodedError) =>
      error.code === 'invalid-argument' && /refusing to create a tag with a digest reference/.test(error.message));
    await assert.rejects(engine.tagger.tag('nothing:here', 'other'), (error: CodedError) => error.code === 'not-found');
    await assert.rejects(engine.tagger.tag(image.id, 'Invalid/Name'), (error: CodedError) => error.code === 'invalid-argument');
  });

  it('pushes a tag: uploads the layers, then the manifest, with Docker\'s progress messages', async () => {
    const image = await engine.images.resolve(`${proxy.host}/pushed/busybox:latest`);
    const mark = proxy.requests.length;
    const { results, messages, statuses } = await push(engine, `${proxy.host}/pushed/busybox`, { tag: 'latest' });
    const manifestSize = (await engine.content.size(image.manifestDigest))!;
    assert.deepEqual(results, [{ Tag: 'latest', Digest: image.manifestDigest, Size: manifestSize }], 'the pulled manifest is pushed as it is');

    const diffId = (await engine.images.config(image)).rootfs.diff_ids[0].slice(7, 19);
    assert.equal(statuses[0], `The push refers to repository [${proxy.host}/pushed/busybox]`);
    const layerStatuses = messages.filter((m) => m.id === diffId).map((m) => m.status);
    assert.deepEqual([...new Set(layerStatuses)], ['Preparing', 'Pushing', 'Pushed']);
    const pushing = messages.filter((m) => m.status === 'Pushing');
    assert.deepEqual(pushing.at(-1)?.progressDetail, { current: image.layers[0].size, total: image.layers[0].size });
    assert.equal(statuses.at(-2), `latest: digest: ${image.manifestDigest} size: ${manifestSize}`);
    assert.deepEqual(messages.at(-1), { progressDetail: {}, aux: { Tag: 'latest', Digest: image.manifestDigest, Size: manifestSize } });

    const requests = since(mark).map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`);
    assert.ok(requests.includes(`HEAD /v2/pushed/busybox/blobs/${image.layers[0].digest}`), 'existence checked first');
    assert.ok(requests.includes('PUT /v2/pushed/busybox/manifests/latest'));
    assert.ok(!since(mark).some((r) => r.url.includes('mount=')), 'no other repository on this host holds the layer');
    const pushed = await engine.images.get(image.id);
    assert.ok(pushed?.repoDigests.includes(`${proxy.host}/pushed/busybox@${image.manifestDigest}`), 'the pushed digest is recorded');
  });

  it('says "Layer already exists" on a second push, and pushes every tag when none is given', async () => {
    const mark = proxy.requests.length;
    const { results, statuses } = await push(engine, `${proxy.host}/pushed/busybox`);
    assert.deepEqual(results.map((r) => r.Tag), ['latest', 'second']);
    assert.equal(results[0].Digest, results[1].Digest);
    assert.ok(statuses.includes('Layer already exists'));
    assert.ok(!statuses.includes('Pushed') && !statuses.includes('Pushing'));
    assert.ok(!since(mark).some((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.url.includes('/blobs/'))), 'no blob was sent');
  });

  it('pulls the pushed image back into a fresh data root', async () => {
    const fresh = await makeImageEngine();
    engines.push(fresh);
    const original = await engine.images.resolve(`${proxy.host}/pushed/busybox:latest`);
    const { image } = await pullImage(fresh, `${proxy.host}/pushed/busybox:second`);
    assert.equal(image.id, original.id);
    assert.equal(image.manifestDigest, original.manifestDigest);
    assert.deepEqual(image.chainIds, original.chainIds);
    assert.ok(await fresh.snapshotter.hasLayer(image.chainIds[0]));
  });

  it('mounts layers from the repository the image was pulled from on the same registry', async () => {
    const { image } = await pullImage(engine, `${proxy.host}/fixtures/multilayer:latest`);
    await engine.tagger.tag(image.id, `${proxy.host}/copies/multilayer:v1`);
    const mark = proxy.requests.length;
    const { results, statuses } = await push(engine, `${proxy.host}/copies/multilayer:v1`);
    assert.equal(results[0].Digest, image.manifestDigest);
    // The base layer is busybox's, which the previous test pushed to pushed/busybox on this registry.
    const mounted = statuses.filter((s) => s.startsWith('Mounted from ')).map((s) => s.slice('Mounted from '.length));
    assert.equal(mounted.length, image.layers.length);
    assert.ok(mounted.every((from) => from === 'fixtures/multilayer' || from === 'pushed/busybox'), mounted.join());
    assert.equal(mounted.filter((from) => from === 'fixtures/multilayer').length, image.layers.length - 1);
    const mounts = since(mark).filter((r) => r.method === 'POST' && r.url.includes('mount='));
    assert.equal(mounts.length, image.layers.length + 1, 'every layer and the config');
    assert.ok(!since(mark).some((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.url.includes('/blobs/'))), 'no blob bytes were sent');

    const fresh = await makeImageEngine();
    engines.push(fresh);
    assert.equal((await pullImage(fresh, `${proxy.host}/copies/multilayer:v1`)).image.id, image.id);
  });

  it('reports a tag that does not exist locally, and refuses to push a digest', async () => {
    await assert.rejects(push(engine, `${proxy.host}/pushed/busybox`, { tag: 'nope' }), (error: CodedError) =>
      error.code === 'not-found' && error.message === `an image does not exist locally with the tag: ${proxy.host}/pushed/busybox:nope`);
    await assert.rejects(push(engine, `${proxy.host}/never/pulled`), /an image does not exist locally with the tag: .*never\/pulled$/);
    await assert.rejects(push(engine, `${proxy.host}/pushed/busybox@${sha256Digest('x')}`), /cannot push a digest reference/);
  });

  it('uploads a large blob in chunks of at least the registry\'s minimum length', async () => {
    const client = new DistributionClient({
      domain: proxy.host,
      endpoint: new URL(`http://${proxy.host}`),
      repository: 'chunked/blob',
      push: true,
      chunkSize: 64 * 1024,
    });
    const blob = randomBytes(350_000);
    const descriptor = { mediaType: MediaType.OciLayer, digest: sha256Digest(blob), size: blob.length };
    const sent: number[] = [];
    const mark = proxy.requests.length;
    // Small reads, so chunks are assembled from many pieces.
    const pieces = () => Readable.from(Array.from({ length: 35 }, (_, i) => blob.subarray(i * 10_000, (i + 1) * 10_000)));
    assert.deepEqual(await client.pushBlob(descriptor, pieces, { onProgress: (n) => sent.push(n) }), {});
    const patches = since(mark).filter((r) => r.method === 'PATCH');
    assert.deepEqual(patches.map((r) => r.headers['content-range']), ['0-99999', '100000-199999', '200000-299999', '300000-349999']);
    assert.deepEqual(patches.map((r) => r.bodySize), [100_000, 100_000, 100_000, 50_000]);
    assert.deepEqual(sent, [100_000, 200_000, 300_000, 350_000]);
    const back: Buffer[] = [];
    for await (const chunk of await client.getBlob(descriptor)) back.push(chunk as Buffer);
    assert.ok(Buffer.concat(back).equals(blob));

    // Content that is not what the descriptor says is refused, and its upload session cancelled.
    const other = { ...descriptor, digest: sha256Digest('not this') };
    const before = proxy.requests.length;
    await assert.rejects(client.pushBlob(other, pieces), /digest mismatch/);
    assert.ok(since(before).some((r) => r.method === 'DELETE' && r.url.includes('/blobs/uploads/')), 'the session was cancelled');
    assert.equal(await client.hasBlob(other), false);
  });
});
