// SPDX-License-Identifier: Apache-2.0
// A chunked blob upload meeting 416 Range Not Satisfiable, against a real docker-registry behind a loopback proxy:
// a chunk lost on the way, a chunk refused once, and a registry that never stops refusing. Debian's registry
// (distribution 2.8) appends a PATCH wherever its Content-Range says it goes, so the proxy gives the 416 that a
// registry following the distribution spec (distribution 3, ECR, Harbor) gives for a chunk out of order; the upload
// status the client then asks for, and the resumed chunks, are the real registry's.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sha256Digest } from '../../packages/core/lib/content/digest.js';
import { DistributionClient } from '../../packages/core/lib/registry/distribution-client.js';
import { MediaType } from '../../packages/core/lib/registry/media-types.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startRegistryProxy, type ProxyBehaviour, type RegistryProxy } from './support/registry-proxy.js';

const CHUNK = 100_000;

describe('chunked push resumed after 416 Range Not Satisfiable', { timeout: 120_000 }, () => {
  let registry: FixtureRegistry;
  let proxy: RegistryProxy;
  /** What the proxy does with the n-th PATCH (from 1) of a repository, instead of relaying it. */
  let interfere: (repository: string, patch: number, req: IncomingMessage) => ReturnType<NonNullable<ProxyBehaviour['respond']>>;
  const patches = new Map<string, number>();

  before(async () => {
    registry = await startFixtureRegistry();
    proxy = await startRegistryProxy(registry.host, {
      respond: (req) => {
        const repository = /^\/v2\/(.+)\/blobs\/uploads\//.exec(req.url ?? '')?.[1];
        if (req.method !== 'PATCH' || !repository) return undefined;
        const patch = (patches.get(repository) ?? 0) + 1;
        patches.set(repository, patch);
        return interfere(repository, patch, req);
      },
    });
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  /** Pushes 350 000 random bytes to `repository` in 100 000-byte chunks; returns the blob and the requests made. */
  async function push(repository: string) {
    const client = new DistributionClient({ domain: proxy.host, endpoint: new URL(`http://${proxy.host}`), repository, push: true, chunkSize: CHUNK });
    const blob = randomBytes(350_000);
    const descriptor = { mediaType: MediaType.OciLayer, digest: sha256Digest(blob), size: blob.length };
    const mark = proxy.requests.length;
    const progress: number[] = [];
    // Small reads, so both chunks and the skipped part of a resumed pass are assembled from many pieces.
    const content = () => Readable.from(Array.from({ length: 35 }, (_, i) => blob.subarray(i * 10_000, (i + 1) * 10_000)));
    const pushed = client.pushBlob(descriptor, content, { onProgress: (n) => progress.push(n) });
    const requests = () => proxy.requests.slice(mark).filter((r) => r.url.includes('/blobs/uploads/'));
    return { client, blob, descriptor, pushed, requests, progress };
  }

  async function pullBack(client: DistributionClient, descriptor: { mediaType: string; digest: string; size: number }): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of await client.getBlob(descriptor)) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  it('resends from the registry\'s offset when a chunk was lost and the next is refused with 416', async () => {
    // The second chunk never reaches the registry, yet the client is told it was taken, with the same location; the
    // third, starting where the registry has nothing yet, is out of order.
    interfere = (repository, patch, req) => {
      if (repository !== 'lost/blob') return undefined;
      if (patch === 2) return { status: 202, headers: { location: req.url, range: `0-${2 * CHUNK - 1}`, 'content-length': '0' } };
      if (patch === 3) return { status: 416, headers: { 'content-length': '0' } };
      return undefined;
    };
    const { client, blob, descriptor, pushed, requests, progress } = await push('lost/blob');
    assert.deepEqual(await pushed, {});
    const sent = requests().map((r) => `${r.method} ${r.headers['content-range'] ?? ''}`.trim());
    assert.deepEqual(sent, [
      'POST',
      'PATCH 0-99999',
      'PATCH 100000-199999', // lost
      'PATCH 200000-299999', // out of order: 416
      'GET', // the upload's status: the registry holds 0-99999
      'PATCH 100000-199999',
      'PATCH 200000-299999',
      'PATCH 300000-349999',
      'PUT',
    ]);
    assert.deepEqual(progress, [CHUNK, 2 * CHUNK, CHUNK, 2 * CHUNK, 3 * CHUNK, 350_000]);
    assert.equal(await client.hasBlob(descriptor), true);
    assert.ok((await pullBack(client, descriptor)).equals(blob), 'the registry holds the blob, with the right digest');
  });

  it('resends the same chunk when it is refused once with the registry at its start', async () => {
    interfere = (repository, patch) => (repository === 'once/blob' && patch === 3 ? { status: 416, headers: { 'content-length': '0' } } : undefined);
    const { client, blob, descriptor, pushed, requests } = await push('once/blob');
    assert.deepEqual(await pushed, {});
    const ranges = requests().filter((r) => r.method === 'PATCH').map((r) => r.headers['content-range']);
    assert.deepEqual(ranges, ['0-99999', '100000-199999', '200000-299999', '200000-299999', '300000-349999']);
    assert.ok((await pullBack(client, descriptor)).equals(blob));
  });

  it('gives up after a few resumptions when every chunk is refused, and cancels the upload', async () => {
    interfere = (repository) => (repository === 'stuck/blob' ? { status: 416, headers: { 'content-length': '0' } } : undefined);
    const { client, descriptor, pushed, requests } = await push('stuck/blob');
    await assert.rejects(pushed, (error: Error & { code?: string }) => {
      assert.match(error.message, /stuck\/blob: upload blob sha256:[0-9a-f]{64}: chunk at byte 0: http 416/);
      return true;
    });
    const methods = requests().map((r) => r.method);
    assert.equal(methods.filter((m) => m === 'PATCH').length, 4);
    assert.equal(methods.filter((m) => m === 'GET').length, 3);
    assert.equal(methods.at(-1), 'DELETE', 'the session was cancelled');
    assert.equal(await client.hasBlob(descriptor), false);
  });
});
