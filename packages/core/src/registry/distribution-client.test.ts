// SPDX-License-Identifier: Apache-2.0
// The distribution client against a real docker-registry that demands bearer tokens, issued by the token server of
// core's testing kit (JWTs signed with a key the registry trusts through `rootcertbundle`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sha256Digest } from '../content/digest.js';
import { startTokenIssuer, type TokenIssuer } from '../testing/token-issuer.js';
import { DistributionClient } from './distribution-client.js';
import { MediaType } from './media-types.js';
import { TokenCache, type RegistryCredentials } from './registry-authenticator.js';

const USERS: Record<string, string> = { alice: 'secret' };

describe('DistributionClient with bearer token auth', { timeout: 60_000 }, () => {
  let dir: string;
  let issuer: TokenIssuer;
  let registry: ChildProcess;
  let host: string;
  const tokenRequests = () => issuer.requests.map((request) => request.url);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'distribution-client-'));
    issuer = await startTokenIssuer({ users: USERS });

    const port = await freePort();
    host = `127.0.0.1:${port}`;
    await writeFile(join(dir, 'config.yml'), [
      'version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true',
      'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`,
      'http:', `  addr: ${host}`,
      issuer.registryAuthConfig(), '',
    ].join('\n'));
    registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const status = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
      if (status === 401) break;
      if (i > 400) throw new Error('docker-registry did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  after(async () => {
    if (registry && registry.exitCode === null) {
      registry.kill('SIGTERM');
      await once(registry, 'exit');
    }
    await issuer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const client = (credentials: RegistryCredentials, options: { push?: boolean; tokenCache?: TokenCache; repository?: string } = {}) =>
    new DistributionClient({
      domain: host,
      endpoint: new URL(`http://${host}`),
      repository: options.repository ?? 'team/app',
      credentials,
      push: options.push,
      tokenCache: options.tokenCache,
    });

  it('pushes and pulls with a token fetched once and cached per scope', async () => {
    const cache = new TokenCache();
    const pusher = client({ username: 'alice', password: 'secret' }, { push: true, tokenCache: cache });
    const layer = Buffer.from('layer bytes '.repeat(1000));
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const layerDescriptor = { mediaType: MediaType.OciLayer, digest: sha256Digest(layer), size: layer.length };
    const configDescriptor = { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length };
    await pusher.pushBlob(layerDescriptor, () => Readable.from([layer]));
    await pusher.pushBlob(configDescriptor, () => Readable.from([config]));
    assert.equal(await pusher.hasBlob(layerDescriptor), true);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: configDescriptor, layers: [layerDescriptor] }));
    assert.equal(await pusher.putManifest('v1', MediaType.OciManifest, manifest), sha256Digest(manifest));
    const pushTokens = tokenRequests().length;
    assert.equal(pushTokens, 1, 'one token for the push scope');
    assert.deepEqual(tokenRequests()[0].searchParams.getAll('scope'), ['repository:team/app:pull,push']);
    assert.equal(tokenRequests()[0].searchParams.get('service'), issuer.service);
    assert.equal(tokenRequests()[0].searchParams.get('account'), 'alice');

    const puller = client({ username: 'alice', password: 'secret' }, { tokenCache: cache });
    const fetched = await puller.getManifest('v1');
    assert.equal(fetched.digest, sha256Digest(manifest));
    assert.equal(fetched.mediaType, MediaType.OciManifest);
    assert.deepEqual((await puller.getManifest(fetched.digest)).bytes, manifest);
    const chunks: Buffer[] = [];
    for await (const chunk of await puller.getBlob(layerDescriptor)) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), layer);
    assert.equal(tokenRequests().length, pushTokens + 1, 'one more token, for the pull scope');

    await client({ username: 'alice', password: 'secret' }, { tokenCache: cache }).getManifest('v1');
    assert.equal(tokenRequests().length, pushTokens + 1, 'the cached pull token is reused by another client');
  });

  it('mounts a blob from another repository, asking for a token that can pull there', async () => {
    const source = client({ username: 'alice', password: 'secret' });
    const { bytes } = await source.getManifest('v1');
    const layer = (JSON.parse(bytes.toString()) as { layers: { digest: string; size: number; mediaType: string }[] }).layers[0];
    const target = client({ username: 'alice', password: 'secret' }, { push: true, repository: 'team/copy' });
    assert.equal(await target.hasBlob(layer), false);
    const before = tokenRequests().length;
    assert.deepEqual(await target.pushBlob(layer, () => { throw new Error('a mount sends no bytes'); }, { mountFrom: ['team/app'] }), { mountedFrom: 'team/app' });
    assert.equal(await target.hasBlob(layer), true);
    const scopes = tokenRequests().slice(before).map((url) => url.searchParams.getAll('scope'));
    assert.ok(scopes.some((each) => each.includes('repository:team/copy:pull,push') && each.includes('repository:team/app:pull')), JSON.stringify(scopes));
  });

  it('errors on a blob whose size or digest is not what the descriptor says', async () => {
    const puller = client({ username: 'alice', password: 'secret' });
    const { bytes } = await puller.getManifest('v1');
    const layer = (JSON.parse(bytes.toString()) as { layers: { digest: string; size: number; mediaType: string }[] }).layers[0];
    await assert.rejects(puller.getBlob({ ...layer, size: layer.size + 1 }), /size mismatch/);
    await assert.rejects(puller.getManifest(sha256Digest('other')), (error: Error & { code?: string }) => error.code === 'not-found');
  });

  it('maps refusals to typed errors', async () => {
    await assert.rejects(client({ username: 'alice', password: 'wrong' }).getManifest('v1'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'unauthorized');
      assert.match(error.message, /incorrect username or password/);
      return true;
    });
    await assert.rejects(client({}).getManifest('v1'), (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'unauthorized');
      assert.match(error.hint ?? '', /login/);
      return true;
    });
    await assert.rejects(client({ username: 'alice', password: 'secret' }).getManifest('nope'), /team\/app:nope: manifest unknown/);
  });

  it('checks credentials for login', async () => {
    assert.deepEqual(await client({ username: 'alice', password: 'secret' }).checkAuth(), {});
    await assert.rejects(client({ username: 'alice', password: 'wrong' }).checkAuth(), (error: Error & { code?: string }) => error.code === 'unauthorized');
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}
