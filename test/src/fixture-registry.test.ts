// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { FIXTURE_NAMES, startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

interface Descriptor { mediaType: string; digest: string; size: number; platform?: { architecture: string; os: string } }
interface Manifest { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] }

interface Response { status: number; type: string; digest: string; body: Buffer }

function request(url: string, accept: string[] = [], method = 'GET'): Promise<Response> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { method, headers: { accept: accept.join(', ') } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers['content-type'] ?? '',
          digest: String(response.headers['docker-content-digest'] ?? ''),
          body: Buffer.concat(chunks),
        }));
      response.on('error', reject);
    }).on('error', reject).end();
  });
}

async function manifest(registry: FixtureRegistry, name: string, reference = 'latest'): Promise<{ type: string; manifest: Manifest }> {
  const response = await request(`${registry.url}/v2/fixtures/${name}/manifests/${reference}`, MANIFEST_TYPES);
  assert.equal(response.status, 200, `manifest of ${name}: ${response.body.toString()}`);
  return { type: response.type, manifest: JSON.parse(response.body.toString()) as Manifest };
}

async function assertBlob(registry: FixtureRegistry, name: string, descriptor: Descriptor): Promise<void> {
  const response = await request(`${registry.url}/v2/fixtures/${name}/blobs/${descriptor.digest}`);
  assert.equal(response.status, 200, `blob ${descriptor.digest} of ${name}`);
  assert.equal(response.body.length, descriptor.size);
}

describe('fixture registry', () => {
  let registry: FixtureRegistry;
  before(async () => {
    registry = await startFixtureRegistry();
  });
  after(async () => {
    await registry?.stop();
  });

  it('serves every fixture with its config and layers', async () => {
    for (const name of FIXTURE_NAMES) {
      const { manifest: m } = await manifest(registry, name);
      const images = m.manifests ? await Promise.all(m.manifests.map(async (d) => (await manifest(registry, name, d.digest)).manifest)) : [m];
      for (const image of images) {
        await assertBlob(registry, name, image.config!);
        for (const layer of image.layers!) await assertBlob(registry, name, layer);
      }
    }
  });

  it('serves busybox as an OCI manifest with one gzip layer and the expected config', async () => {
    const { type, manifest: m } = await manifest(registry, 'busybox');
    assert.equal(type, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(m.layers!.map((l) => l.mediaType), ['application/vnd.oci.image.layer.v1.tar+gzip']);
    const config = JSON.parse((await request(`${registry.url}/v2/fixtures/busybox/blobs/${m.config!.digest}`)).body.toString()) as {
      architecture: string; os: string; config: { Cmd: string[]; Env: string[] };
    };
    assert.deepEqual(config.config.Cmd, ['sh']);
    assert.deepEqual(config.config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    assert.equal(`${config.os}/${config.architecture}`, 'linux/amd64');
  });

  it('serves busybox-v2s2 as a docker schema2 manifest', async () => {
    const { type, manifest: m } = await manifest(registry, 'busybox-v2s2');
    assert.equal(type, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(m.layers![0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip');
  });

  it('serves multilayer with four layers', async () => {
    const { manifest: m } = await manifest(registry, 'multilayer');
    assert.equal(m.layers!.length, 4);
  });

  it('serves multiarch as an index over linux/amd64 and linux/arm64', async () => {
    const { type, manifest: m } = await manifest(registry, 'multiarch');
    assert.equal(type, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(m.manifests!.map((d) => `${d.platform!.os}/${d.platform!.architecture}`), ['linux/amd64', 'linux/arm64']);
  });

  it('serves uncompressed with a plain tar layer', async () => {
    const { manifest: m } = await manifest(registry, 'uncompressed');
    assert.deepEqual(m.layers!.map((l) => l.mediaType), ['application/vnd.oci.image.layer.v1.tar']);
  });

  it('starts a second registry beside the first, with its own port and storage', async () => {
    const second = await startFixtureRegistry();
    try {
      assert.notEqual(second.host, registry.host);
      const url = (r: FixtureRegistry) => `${r.url}/v2/fixtures/busybox/manifests/latest`;
      const { digest } = await request(url(second), MANIFEST_TYPES);
      const deleted = await request(`${second.url}/v2/fixtures/busybox/manifests/${digest}`, [], 'DELETE');
      assert.equal(deleted.status, 202);
      assert.equal((await request(url(second), MANIFEST_TYPES)).status, 404);
      assert.equal((await request(url(registry), MANIFEST_TYPES)).status, 200);
    } finally {
      await second.stop();
    }
  });
});
