// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT } from './support/fixture-registry.js';
import { ensureLocalFixtureRegistry, stopLocalFixtureRegistry } from './support/local-fixture-registry.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'test/lib/support/local-fixture-registry-cli.js');

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

describe('local fixture registry (the scripts\' long-lived registry)', () => {
  let dir: string;
  let host: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-local-registry-'));
    host = `127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    await stopLocalFixtureRegistry(dir);
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a background registry once, reuses it, pushes the chosen fixtures and stops it', async () => {
    const first = await ensureLocalFixtureRegistry({ host, dir, fixtures: ['busybox'] });
    assert.equal(first.started, true);
    const pid = await readFile(join(dir, 'registry.pid'), 'utf8');
    assert.equal(await status(`http://${host}/v2/fixtures/busybox/manifests/latest`), 200);
    assert.equal(await status(`http://${host}/v2/fixtures/multilayer/manifests/latest`), 404);

    const second = await ensureLocalFixtureRegistry({ host, dir, fixtures: ['busybox'] });
    assert.equal(second.started, false);
    assert.equal(await readFile(join(dir, 'registry.pid'), 'utf8'), pid);

    assert.equal(await stopLocalFixtureRegistry(dir), true);
    assert.equal(await status(`http://${host}/v2/`), 0);
    assert.equal(await stopLocalFixtureRegistry(dir), false);
  });

  it('refuses a registry address that is not loopback', async () => {
    await assert.rejects(ensureLocalFixtureRegistry({ host: '0.0.0.0:5000', dir }), /use a loopback address/);
  });

  it('is driven from shell scripts through its command line', async () => {
    const up = await run(process.execPath, [CLI, 'up', '--host', host, '--dir', dir, 'busybox']);
    assert.match(up.stdout, new RegExp(`started a docker-registry on ${host}`));
    assert.match(up.stdout, new RegExp(`pushed ${host}/fixtures/busybox:latest`));
    const down = await run(process.execPath, [CLI, 'down', '--dir', dir]);
    assert.match(down.stdout, /stopped the registry/);
    await assert.rejects(run(process.execPath, [CLI, 'up', '--host', '10.0.0.1:5000', '--dir', dir]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /fixture registry: registry host 10\.0\.0\.1:5000: use a loopback address/);
      return true;
    });
  });
});
