// SPDX-License-Identifier: Apache-2.0
// Registries as users meet them, through the real CLI and daemon: Docker Hub's code path (docker.io, its mirrors,
// its bearer-token flow and rate limits) pointed by configuration at a real docker-registry with `auth: token`
// behind a proxy that adds rate-limit headers and can answer 429; a registry with htpasswd; one with TLS from a
// private CA; and insecure-registries. Credentials go through `login` into a docker-credential helper and
// config.json, as the Docker CLI keeps them.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTokenIssuer, type TokenIssuer } from '../../packages/core/lib/testing/token-issuer.js';
import { makeTlsCertificates, startAuthRegistry, type AuthRegistry } from './support/auth-registry.js';
import { EngineDaemon } from './support/engine-daemon.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startRegistryProxy, type RegistryProxy } from './support/registry-proxy.js';

const HUB_KEY = 'https://index.docker.io/v1/';

// A docker-credential helper keeping secrets in a JSON file beside it, speaking the helper protocol.
const HELPER = `#!/usr/bin/env node
const fs = require('node:fs');
const file = __dirname + '/store.json';
const store = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const input = fs.readFileSync(0, 'utf8');
const action = process.argv[2];
if (action === 'store') { const c = JSON.parse(input); store[c.ServerURL] = c; }
else if (action === 'get') {
  const c = store[input.trim()];
  if (!c) { process.stdout.write('credentials not found in native keychain'); process.exit(1); }
  process.stdout.write(JSON.stringify(c));
} else if (action === 'erase') delete store[input.trim()];
fs.writeFileSync(file, JSON.stringify(store));
`;

describe('registries through the CLI: Docker Hub path, htpasswd, TLS, insecure', { timeout: 300_000 }, () => {
  let dir: string;
  let fixtures: FixtureRegistry;
  let issuer: TokenIssuer;
  let hub: AuthRegistry;
  let hubProxy: RegistryProxy;
  let basic: AuthRegistry;
  let tls: AuthRegistry;
  let ca: string;
  let engine: EngineDaemon;
  /** How many more manifest requests of the Hub path the proxy answers with 429. */
  let tooManyRequests = 0;

  const dockerConfig = () => join(dir, 'docker-config', 'config.json');
  const helperStore = async () => JSON.parse(await readFile(join(dir, 'bin', 'store.json'), 'utf8').catch(() => '{}')) as Record<string, { Username: string; Secret: string }>;
  const ok = async (args: string[], input?: string) => {
    const result = await engine.cli(args, { input });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}\n${result.stdout}`);
    return result;
  };
  const fails = async (args: string[], input?: string) => {
    const result = await engine.cli(args, { input });
    assert.notEqual(result.code, 0, `${args.join(' ')} should fail: ${result.stdout}`);
    return result;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-registry-auth-'));
    fixtures = await startFixtureRegistry();
    issuer = await startTokenIssuer({ users: { alice: 'secret' }, anonymousActions: ['pull'] });
    hub = await startAuthRegistry({ auth: { section: issuer.registryAuthConfig() } });
    hubProxy = await startRegistryProxy(hub.host, {
      respond: (req) => {
        if (!req.url?.includes('/manifests/') || tooManyRequests <= 0) return undefined;
        tooManyRequests--;
        const body = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] });
        return { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }, body };
      },
      headers: (req, headers) =>
        req.url?.includes('/manifests/') ? { ...headers, 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' } : headers,
    });
    basic = await startAuthRegistry({ auth: { htpasswd: { bob: 'hunter2' } } });
    const certificates = await makeTlsCertificates(await mkdtemp(join(dir, 'tls-')), ['registry.test', 'untrusted.test']);
    ca = certificates.ca;
    tls = await startAuthRegistry({ tls: certificates });

    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'docker-credential-test'), HELPER);
    await chmod(join(dir, 'bin', 'docker-credential-test'), 0o755);
    await mkdir(join(dir, 'docker-config'));
    await writeFile(dockerConfig(), JSON.stringify({ credHelpers: { 'index.docker.io': 'test' } }));
    const aliases = Object.fromEntries(['registry.test', 'untrusted.test', 'insecure.test', 'other.test'].map((name) => [name, '127.0.0.1']));
    engine = await EngineDaemon.start({
      env: { DOCKER_CONFIG: join(dir, 'docker-config'), PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
      config: {
        'registry-mirrors': [fixtures.url],
        'insecure-registries': [`insecure.test:${fixtures.host.split(':')[1]}`],
        plugins: { 'tsc-engine.registry.v1.hub': { endpoint: `http://${hubProxy.host}`, hostAliases: aliases } },
      },
    });
  });

  after(async () => {
    await engine?.stop();
    await hubProxy?.stop();
    for (const registry of [hub, basic, tls]) await registry?.stop();
    await issuer?.close();
    await fixtures?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls a Docker Hub image from the configured mirror', async () => {
    const mark = hubProxy.requests.length;
    const pull = await ok(['pull', 'fixtures/busybox']);
    assert.match(pull.stdout, /Status: Downloaded newer image for fixtures\/busybox:latest/);
    assert.equal(hubProxy.requests.length, mark, 'the upstream was not asked: the mirror had it');
  });

  it('refuses an anonymous push to Docker Hub, logs in through the credential helper, then pushes', async () => {
    await ok(['tag', 'fixtures/busybox', 'busybox']);
    const anonymous = await fails(['push', 'busybox']);
    assert.match(anonymous.stderr, /unauthorized|denied/);

    const wrong = await fails(['login', '-u', 'alice', '--password-stdin'], 'wrong\n');
    assert.match(wrong.stderr, /incorrect username or password/);
    assert.equal(wrong.stderr.includes('wrong'), false, 'the password is never shown');
    const notty = await fails(['login']);
    assert.match(notty.stderr, /cannot perform an interactive login from a non TTY device/);

    const login = await ok(['login', '-u', 'alice', '--password-stdin'], 'secret\n');
    assert.match(login.stdout, /Login Succeeded/);
    assert.deepEqual((await helperStore())[HUB_KEY], { ServerURL: HUB_KEY, Username: 'alice', Secret: 'secret' });
    const config = JSON.parse(await readFile(dockerConfig(), 'utf8')) as { auths: Record<string, object> };
    assert.deepEqual(config.auths[HUB_KEY], {}, 'the file only records the login; the helper keeps the secret');

    const push = await ok(['push', 'busybox']);
    assert.match(push.stdout, /The push refers to repository \[docker\.io\/library\/busybox\]/);
    assert.match(push.stdout, /latest: digest: sha256:[0-9a-f]{64} size: \d+/);
    assert.ok(issuer.requests.some((r) => r.user === 'alice' && r.granted.includes('repository:library/busybox:pull,push')));
  });

  it('logs out, then pulls anonymously through the token flow, showing the rate limit in pull and info', async () => {
    const logout = await ok(['logout']);
    assert.match(logout.stdout, /Removing login credentials for https:\/\/index\.docker\.io\/v1\//);
    assert.equal((await helperStore())[HUB_KEY], undefined);
    await ok(['rmi', 'busybox']);

    const before = issuer.requests.length;
    const pull = await ok(['pull', 'busybox']);
    assert.match(pull.stdout, /Rate limit: 76 of 100 pulls remaining per 6h/);
    assert.match(pull.stdout, /Status: Downloaded newer image for busybox:latest/);
    const anonymous = issuer.requests.slice(before);
    assert.ok(anonymous.length > 0 && anonymous.every((r) => r.user === undefined), 'no credentials were sent');
    assert.ok(anonymous.some((r) => r.granted.includes('repository:library/busybox:pull')));

    const info = await ok(['info']);
    assert.match(info.stdout, /Registry Rate Limits:\n {2}docker\.io: 76 of 100 pulls remaining per 6h/);
  });

  it('waits out one 429 as Retry-After asks, and says what to do when the limit persists', async () => {
    tooManyRequests = 1;
    const started = Date.now();
    await ok(['pull', 'busybox']);
    assert.ok(Date.now() - started >= 1000, 'the retry came after Retry-After');
    assert.equal(tooManyRequests, 0);

    tooManyRequests = 10;
    const limited = await fails(['pull', 'busybox']);
    tooManyRequests = 0;
    assert.match(limited.stderr, /too many requests: toomanyrequests: You have reached your pull rate limit\. \(0 of 100 pulls remaining per 6h\)/);
    assert.match(limited.stderr, /Hint: .*Log in with 'tsc-engine login' for a higher limit, or pull through a mirror \("registry-mirrors" in daemon\.json\)/);
  });

  it('logs in to a registry with htpasswd, keeping the credentials in config.json (0600), pushes and pulls back', async () => {
    const login = await ok(['login', '-u', 'bob', '--password-stdin', basic.host], 'hunter2\n');
    assert.match(login.stdout, /Login Succeeded/);
    const config = JSON.parse(await readFile(dockerConfig(), 'utf8')) as { auths: Record<string, { auth?: string }> };
    assert.equal(config.auths[basic.host].auth, Buffer.from('bob:hunter2').toString('base64'));
    assert.equal((await stat(dockerConfig())).mode & 0o777, 0o600);

    const image = `${basic.host}/team/busybox:1`;
    await ok(['tag', 'busybox', image]);
    await ok(['push', image]);
    await ok(['rmi', image]);
    await ok(['pull', image]);

    assert.match((await ok(['logout', basic.host])).stdout, new RegExp(`Removing login credentials for ${basic.host}`));
    await ok(['rmi', image]);
    const anonymous = await fails(['pull', image]);
    assert.match(anonymous.stderr, /authentication required|unauthorized/);
  });

  it('trusts a TLS registry whose CA is in certs.d, and names that fix when the CA is missing', async () => {
    const host = `registry.test:${tls.port}`;
    await mkdir(join(engine.dataRoot, 'certs.d', host), { recursive: true });
    await writeFile(join(engine.dataRoot, 'certs.d', host, 'ca.crt'), await readFile(ca));
    await ok(['tag', 'busybox', `${host}/tls/busybox`]);
    await ok(['push', `${host}/tls/busybox`]);
    await ok(['rmi', `${host}/tls/busybox`]);
    await ok(['pull', `${host}/tls/busybox`]);

    const untrusted = await fails(['pull', `untrusted.test:${tls.port}/tls/busybox`]);
    assert.match(untrusted.stderr, /certificate/);
    assert.match(untrusted.stderr, new RegExp(`certs\\.d/untrusted\\.test:${tls.port}/ca\\.crt`));
  });

  it('reaches a registry over plain HTTP only when insecure-registries lists it', async () => {
    const port = fixtures.host.split(':')[1];
    await ok(['pull', `insecure.test:${port}/fixtures/busybox`]);
    const refused = await fails(['pull', `other.test:${port}/fixtures/busybox`]);
    assert.match(refused.stderr, new RegExp(`list other\\.test:${port} in "insecure-registries"`));
  });
});
