// SPDX-License-Identifier: Apache-2.0
// `bin/run.js` compiles the bundle with a V8 code cache kept in the CLI's cache dir: written by the first run,
// reused by the next ones, replaced when damaged, and never in the way of a command, not even one that import()s an
// ES module (which a script compiled from a cache cannot do by itself).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const runJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js');
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'code-cache-test-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function cli(cacheDir: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, TSC_ENGINE_CACHE_DIR: cacheDir, TSC_ENGINE_DATA_DIR: join(dir, 'data') };
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [runJs, ...args], { env });
  assert.equal(stderr, '');
  return stdout;
}

async function cacheFiles(cacheDir: string): Promise<string[]> {
  return (await readdir(join(cacheDir, 'code-cache'))).map((name) => join(cacheDir, 'code-cache', name));
}

test('the first run writes the cache, the next ones use it as it is', async () => {
  const cacheDir = join(dir, 'reused');
  const version = await cli(cacheDir, '--version');
  assert.match(version, /^@tsc-engine\/cli\//);
  const [file, ...others] = await cacheFiles(cacheDir);
  assert.deepEqual(others, []);
  assert.match(file!, /cli-v[\d.]+-\d+-\d+-[\d.]+\.bin$/);
  const written = await stat(file!);
  assert.ok(written.size > 10_000);

  assert.equal(await cli(cacheDir, '--version'), version);
  assert.deepEqual(await cacheFiles(cacheDir), [file]);
  assert.equal((await stat(file!)).mtimeMs, written.mtimeMs);
});

test('with the cache in use, a command loads ES modules: oclif imports plugin-plugins for `plugins`', async () => {
  const cacheDir = join(dir, 'import');
  await cli(cacheDir, '--version');
  assert.equal((await cacheFiles(cacheDir)).length, 1);
  assert.equal(await cli(cacheDir, 'plugins'), 'No plugins installed.\n');
});

test('a damaged cache is rejected and written again', async () => {
  const cacheDir = join(dir, 'damaged');
  await cli(cacheDir, '--version');
  const [file] = await cacheFiles(cacheDir);
  await writeFile(file!, 'not a code cache');
  assert.match(await cli(cacheDir, 'version', '--help'), /Show the client and daemon versions/);
  assert.notEqual(await readFile(file!, 'utf8'), 'not a code cache');
});

test('without a writable cache dir the CLI runs as well', async () => {
  const blocker = join(dir, 'a-file');
  await writeFile(blocker, '');
  assert.match(await cli(join(blocker, 'cache'), '--version'), /^@tsc-engine\/cli\//);
});
