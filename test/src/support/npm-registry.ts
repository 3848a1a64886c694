// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT } from './fixture-registry.js';

const run = promisify(execFile);

const VERDACCIO_VERSION = '6.8.0';
/** Verdaccio lives in the test cache, not in the project's dependencies. */
const VERDACCIO_DIR = join(REPO_ROOT, '.tmp', `verdaccio-${VERDACCIO_VERSION}`);

/** A real npm registry (verdaccio) on loopback, with a user logged in to publish. */
export interface NpmRegistry {
  url: string;
  /** npm settings pointing at this registry, with the publishing user's token: pass them to npm and the CLI. */
  env: NodeJS.ProcessEnv;
  /** `npm publish` of a package directory. */
  publish(packageDir: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Installs verdaccio into `<repo>/.tmp` when missing (6.8.0 runs on Node 20 once node-fetch is pinned to 2.7.0),
 * then starts it with fresh storage. `@tsc-engine/*` packages are only what a test publishes; everything else is
 * proxied from the public npm registry, as a company registry would.
 */
export async function startNpmRegistry(): Promise<NpmRegistry> {
  await installVerdaccio();
  const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-npm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  await writeFile(join(dir, 'config.yaml'), [
    `storage: ${join(dir, 'storage')}`,
    'auth:',
    `  htpasswd: { file: ${join(dir, 'htpasswd')} }`,
    'uplinks:',
    '  npmjs: { url: "https://registry.npmjs.org/" }',
    'packages:',
    "  '@tsc-engine/*': { access: $all, publish: $authenticated, unpublish: $authenticated }",
    "  '**': { access: $all, publish: $authenticated, proxy: npmjs }",
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n'));
  const child = spawn(process.execPath, [join(VERDACCIO_DIR, 'node_modules/verdaccio/bin/verdaccio'), '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, child, () => log);
    const token = await addUser(url);
    const npmrc = join(dir, 'npmrc');
    await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    const env = { npm_config_registry: url, npm_config_userconfig: npmrc, npm_config_cache: join(dir, 'npm-cache') };
    return {
      url,
      env,
      publish: async (packageDir) => {
        await run('npm', ['publish', packageDir], { cwd: dir, env: { ...process.env, ...env } });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function installVerdaccio(): Promise<void> {
  try {
    await access(join(VERDACCIO_DIR, 'node_modules/verdaccio/package.json'));
    return;
  } catch {
    // Not cached yet.
  }
  await mkdir(VERDACCIO_DIR, { recursive: true });
  await writeFile(join(VERDACCIO_DIR, 'package.json'), JSON.stringify({
    name: 'verdaccio-test-cache',
    private: true,
    dependencies: { verdaccio: VERDACCIO_VERSION },
    overrides: { 'node-fetch': '2.7.0' },
  }));
  await run('npm', ['install', '--omit', 'dev', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: VERDACCIO_DIR, maxBuffer: 64 << 20 });
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${log()}`);
    if (await fetch(new URL('-/ping', url)).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer within 30 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates a user as `npm adduser` does and returns its token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(new URL('-/user/org.couchdb.user:publisher', url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'publisher', password: 'publisher-password' }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!body.token) throw new Error(`verdaccio refused the publishing user: ${body.error ?? response.status}`);
  return body.token;
}
