// SPDX-License-Identifier: Apache-2.0
// The distribution client against a real docker-registry that demands bearer tokens, issued by a small token
// server written here (JWTs signed with a key the registry trusts through `rootcertbundle`).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sha256Digest } from '../content/digest.js';
import { DistributionClient } from './distribution-client.js';
import { MediaType } from './media-types.js';
import { TokenCache, type RegistryCredentials } from './registry-authenticator.js';

const run = promisify(execFile);
const SERVICE = 'test-registry';
const ISSUER = 'test-issuer';
const USERS: Record<string, string> = { alice: 'secret' };

describe('DistributionClient with bearer token auth', { timeout: 60_000 }, () => {
  let dir: string;
  let tokenServer: Server;
  let registry: ChildProcess;
  let host: string;
  const tokenRequests: URL[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'distribution-client-'));
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=token',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    const key = createPrivateKey(await readFile(join(dir, 'key.pem')));
    const kid = libtrustKeyId(createPublicKey(key).export({ type: 'spki', format: 'der' }));

    tokenServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://token');
      tokenRequests.push(url);
      const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      if (req.headers.authorization && USERS[user] !== password) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      const access = req.headers.authorization
        ? url.searchParams.getAll('scope').map((scope) => {
            const [type, name, actions] = scope.split(':');
            return { type, name, actions: actions.split(',') };
          })
        : [];
      const now = Math.floor(Date.now() / 1000);
      const token = jwt({ alg: 'RS256', typ: 'JWT', kid }, {
        iss: ISSUER, sub: user ?? '', aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now,
        jti: randomBytes(8).toString('hex'), access,
      }, key);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 300 }));
    });
    tokenServer.listen(0, '127.0.0.1');
    await once(tokenServer, 'listening');
    const tokenPort = (tokenServer.address() as AddressInfo).port;

    const port = await freePort();
    host = `127.0.0.1:${port}`;
    await writeFile(join(dir, 'config.yml'), [
      'version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true',
      'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`,
      'http:', `  addr: ${host}`,
      'auth:', '  token:', `    realm: http://127.0.0.1:${tokenPort}/token`, `    service: ${SERVICE}`, `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${join(dir, 'cert.pem')}`, '',
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
    tokenServer?.close();
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
    const pushTokens = tokenRequests.length;
    assert.equal(pushTokens, 1, 'one token for the push scope');
    assert.deepEqual(tokenRequests[0].searchParams.getAll('scope'), ['repository:team/app:pull,push']);
    assert.equal(tokenRequests[0].searchParams.get('service'), SERVICE);
    assert.equal(tokenRequests[0].searchParams.get('account'), 'alice');

    const puller = client({ username: 'alice', password: 'secret' }, { tokenCache: cache });
    const fetched = await puller.getManifest('v1');
    assert.equal(fetched.digest, sha256Digest(manifest));
    assert.equal(fetched.mediaType, MediaType.OciManifest);
    assert.deepEqual((await puller.getManifest(fetched.digest)).bytes, manifest);
    const chunks: Buffer[] = [];
    for await (const chunk of await puller.getBlob(layerDescriptor)) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), layer);
    assert.equal(tokenRequests.length, pushTokens + 1, 'one more token, for the pull scope');

    await client({ username: 'alice', password: 'secret' }, { tokenCache: cache }).getManifest('v1');
    assert.equal(tokenRequests.length, pushTokens + 1, 'the cached pull token is reused by another client');
  });

  it('mounts a blob from another repository, asking for a token that can pull there', async () => {
    const source = client({ username: 'alice', password: 'secret' });
    const { bytes } = await source.getManifest('v1');
    const layer = (JSON.parse(bytes.toString()) as { layers: { digest: string; size: number; mediaType: string }[] }).layers[0];
    const target = client({ username: 'alice', password: 'secret' }, { push: true, repository: 'team/copy' });
    assert.equal(await target.hasBlob(layer), false);
    const before = tokenRequests.length;
    assert.deepEqual(await target.pushBlob(layer, () => { throw new Error('a mount sends no bytes'); }, { mountFrom: ['team/app'] }), { mountedFrom: 'team/app' });
    assert.equal(await target.hasBlob(layer), true);
    const scopes = tokenRequests.slice(before).map((url) => url.searchParams.getAll('scope'));
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

function jwt(header: object, claims: object, key: ReturnType<typeof createPrivateKey>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** docker/libtrust's key id, by which the registry finds the key a token names in `kid`. */
function libtrustKeyId(spki: Buffer): string {
  const bytes = createHash('sha256').update(spki).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let encoded = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) encoded += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return encoded.match(/.{4}/g)!.join(':');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}
