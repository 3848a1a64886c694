// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EngineConfig, Registry, parseImageReference, sha256Digest, type PluginContext } from '@tsc-engine/core';
import { Container } from '@tsc-engine/core/shared/inversify';
import initHubRegistry from './hub-module.js';
import { HubRegistry } from './hub-registry.js';
import { hubRegistryConfig } from './hub-registry-config.js';

const MANIFEST = Buffer.from(JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest('{}'), size: 2 },
  layers: [],
}));

interface FakeRegistry {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  server: Server;
}

/** A registry boundary faked in-process: answers one manifest, or fails everything. */
async function fakeRegistry(healthy: boolean): Promise<FakeRegistry> {
  const requests: FakeRegistry['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (healthy && req.url === '/v2/library/busybox/manifests/latest') {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256Digest(MANIFEST) });
      res.end(MANIFEST);
      return;
    }
    res.writeHead(healthy ? 404 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: healthy ? 'MANIFEST_UNKNOWN' : 'UNAVAILABLE', message: 'nope' }] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('HubRegistry', () => {
  let upstream: FakeRegistry;
  let mirror: FakeRegistry;
  before(async () => {
    upstream = await fakeRegistry(true);
    mirror = await fakeRegistry(false);
  });
  after(() => {
    upstream.server.close();
    mirror.server.close();
  });

  it('tries mirrors first, falls back upstream, adds library/ and keeps credentials from mirrors', async () => {
    const hub = new HubRegistry(hubRegistryConfig({ endpoint: upstream.url, mirrors: [mirror.url] }));
    const remote = await hub.remote({ domain: 'docker.io', path: 'busybox', tag: 'latest' }, { auth: { username: 'u', password: 'p' } });
    const manifest = await remote.getManifest('latest');
    assert.equal(manifest.digest, sha256Digest(MANIFEST));
    assert.deepEqual(mirror.requests.map((r) => r.path), ['/v2/library/busybox/manifests/latest']);
    assert.equal(mirror.requests[0].headers.authorization, undefined);
    assert.equal(remote.name, 'docker.io/library/busybox');
  });

  it('serves every host and validates its configuration', () => {
    const hub = new HubRegistry(hubRegistryConfig({}, { registryMirrors: [], insecureRegistries: ['registry.lan:5000'] }));
    assert.equal(hub.matches(), 1);
    assert.equal(hubRegistryConfig({}).endpoint, 'https://registry-1.docker.io');
    assert.throws(() => hubRegistryConfig({ mirrors: 'x' }), /mirrors must be a list of strings/);
    assert.throws(() => hubRegistryConfig({ endpoint: 'ftp://x' }), /endpoint must be an http\(s\) URL/);
  });

  it('binds itself as the Registry contribution, reading the daemon-wide settings', async () => {
    const container = new Container();
    container.bind(EngineConfig).toConstantValue({ registryMirrors: [mirror.url], insecureRegistries: [] } as unknown as EngineConfig);
    const context: PluginContext = { type: 'tsc-engine.registry.v1', id: 'hub', rootDir: '/nonexistent', stateDir: '/nonexistent', config: { endpoint: upstream.url } };
    container.load(initHubRegistry(context));
    const registry = container.get<Registry>(Registry);
    assert.equal(registry.id, 'hub');
    mirror.requests.length = 0;
    const remote = await registry.remote(parseImageReference('busybox'), {});
    await remote.getManifest('latest');
    assert.equal(mirror.requests.length, 1, 'the engine-wide mirror was tried');
  });
});
