// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { get, request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stopProcess } from './run-process.js';
import { ensurePackages } from './system-packages.js';

const run = promisify(execFile);

/** A docker-registry serving every fixture image as `<host>/fixtures/<name>:latest`. */
export interface FixtureRegistry {
  /** `127.0.0.1:PORT`, the registry part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  stop(): Promise<void>;
}

export const FIXTURE_NAMES: readonly string[] = ['busybox', 'busybox-v2s2', 'multilayer', 'multiarch', 'uncompressed'];

/** Repository root, found from this file (test/lib/support/) so the checkout can live anywhere. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const FIXTURE_PACKAGES = ['umoci', 'skopeo', 'docker-registry', 'busybox-static', 'python3'];

/**
 * Builds the fixture OCI layouts (cached in `<repo>/.tmp/fixtures`, rebuilt when their inputs change) and returns
 * the cache directory; each image is at `<dir>/oci/<name>` with tag `latest` (busybox-v2s2 exists only in registries).
 */
export async function buildFixtures(): Promise<string> {
  await ensurePackages(...FIXTURE_PACKAGES);
  const { stdout } = await run(join(REPO_ROOT, 'test/fixtures/make-fixtures.sh'), [], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split('\n').at(-1)!;
}

/**
 * Builds fixtures (cached), starts a real docker-registry on a free loopback port with its own storage, pushes
 * every fixture and returns it. The pushed storage is cached beside the fixtures per fixture stamp, so later runs
 * copy it instead of pushing again; every registry gets its own copy, so tests may start several and write to them.
 */
export async function startFixtureRegistry(): Promise<FixtureRegistry> {
  const cache = await buildFixtures();
  const seed = join(cache, `registry-storage-${await seedKey(cache)}`);
  const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-registry-'));
  const storage = join(dir, 'storage');
  const seeded = await exists(seed);
  if (seeded) await run('cp', ['-a', seed, storage]);

  let child: ChildProcess | undefined;
  try {
    const launched = await launchRegistry(dir, storage);
    child = launched.child;
    if (!seeded) {
      await pushFixtures(cache, launched.host);
      await saveSeed(storage, seed);
    }
    const killOnExit = () => launched.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    return {
      host: launched.host,
      url: `http://${launched.host}`,
      async stop() {
        process.removeListener('exit', killOnExit);
        await stopProcess(launched.child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts docker-registry on a free port; retries when another process grabbed the port in between. */
async function launchRegistry(dir: string, storage: string): Promise<{ child: ChildProcess; host: string }> {
  for (let attempt = 1; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const config = join(dir, 'config.yml');
    await writeFile(config, registryConfig(storage, host));
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`docker-registry exited with ${code}: ${Buffer.concat(stderr).toString().slice(-2000)}`);
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([waitForRegistry(`http://${host}`), exited]);
      return { child, host };
    } catch (error) {
      await stopProcess(child);
      if (attempt >= 3 || !/address already in use/.test(String(error))) throw error;
    }
  }
}

/** A docker-registry config serving `storage` on `host` (`127.0.0.1:PORT`), quiet, deletes allowed. */
export function registryConfig(storage: string, host: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    '',
  ].join('\n');
}

/** Names a pushed storage by the fixtures and by this file, whose push code decides what the storage holds. */
async function seedKey(cache: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(join(cache, '.stamp')));
  hash.update(await readFile(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Pushes fixtures from the cache `buildFixtures()` returned to the registry at `host` as `fixtures/<name>:latest`
 * (all of them unless `names` picks some); pushing again is cheap, as the registry already has the blobs.
 */
export async function pushFixtures(cache: string, host: string, names: readonly string[] = FIXTURE_NAMES): Promise<void> {
  const copy = (source: string, name: string, ...flags: string[]) => () =>
    run('skopeo', [
      '--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', ...flags,
      `oci:${join(cache, 'oci', source)}:latest`, `docker://${host}/fixtures/${name}:latest`,
    ]);
  const pushes: Record<string, () => Promise<unknown>> = {
    busybox: copy('busybox', 'busybox'),
    'busybox-v2s2': copy('busybox', 'busybox-v2s2', '--format', 'v2s2'),
    multilayer: copy('multilayer', 'multilayer'),
    multiarch: copy('multiarch', 'multiarch', '--all'),
    // skopeo always compresses layers it sends to a registry, so the plain-tar layer goes up verbatim.
    uncompressed: () => pushLayout(join(cache, 'oci', 'uncompressed'), `http://${host}`, 'fixtures/uncompressed'),
  };
  const unknown = names.filter((name) => !(name in pushes));
  if (unknown.length > 0) throw new Error(`no fixture named ${unknown.join(', ')}; there are ${FIXTURE_NAMES.join(', ')}`);
  await Promise.all(names.map((name) => pushes[name]!()));
}

/** Pushes an OCI layout's `latest` image manifest and its blobs as they are, with the registry's monolithic upload. */
async function pushLayout(layout: string, registry: string, repository: string): Promise<void> {
  const blob = (digest: string) => readFile(join(layout, 'blobs', ...digest.split(':')));
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: LayoutDescriptor[] };
  const top = index.manifests.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === 'latest')!;
  const manifestBytes = await blob(top.digest);
  const manifest = JSON.parse(manifestBytes.toString()) as { config: LayoutDescriptor; layers: LayoutDescriptor[] };
  for (const { digest } of [manifest.config, ...manifest.layers]) {
    const started = await send('POST', `${registry}/v2/${repository}/blobs/uploads/`);
    const upload = new URL(started.headers.location!, registry);
    upload.searchParams.set('digest', digest);
    await send('PUT', upload.href, await blob(digest), 'application/octet-stream');
  }
  await send('PUT', `${registry}/v2/${repository}/manifests/latest`, manifestBytes, top.mediaType);
}

interface LayoutDescriptor { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }

function send(method: string, url: string, body?: Buffer, contentType?: string): Promise<IncomingMessage> {
  return new Promise((resolveResponse, reject) => {
    const headers: Record<string, string | number> = { 'content-length': body?.length ?? 0 };
    if (contentType) headers['content-type'] = contentType;
    const req = request(url, { method, headers }, (response) => {
      response.resume();
      if ((response.statusCode ?? 500) >= 300) reject(new Error(`${method} ${url}: http ${response.statusCode}`));
      else resolveResponse(response);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Publishes a pushed storage dir as the seed; a concurrent run may win the rename, which is fine. */
async function saveSeed(storage: string, seed: string): Promise<void> {
  const staging = `${seed}.tmp-${process.pid}-${Date.now()}`;
  await run('cp', ['-a', storage, staging]);
  try {
    await rename(staging, seed);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A loopback TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no tcp port for the fixture registry');
  return address.port;
}

/** Waits until the registry at `url` (`http://host:port`) answers `GET /v2/` with 200. */
async function waitForRegistry(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await registryAnswers(url)) return;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer ${url}/v2/ within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a registry answers `GET <url>/v2/` with 200 (within a second). */
export function registryAnswers(url: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const request = get(`${url}/v2/`, (response) => {
      response.resume();
      resolveAnswer(response.statusCode === 200);
    });
    request.on('error', () => resolveAnswer(false));
    request.setTimeout(1000, () => request.destroy());
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
