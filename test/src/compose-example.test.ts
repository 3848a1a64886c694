// SPDX-License-Identifier: Apache-2.0
// The README's app, examples/hit-counter, end to end: images built from Debian's packages by its script, brought up
// with `compose up -d --wait` (redis healthy before web starts), counting hits, surviving `restart web`,
// recreated only where its YAML changed, and gone with `down -v`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectObjects } from './support/compose-project.js';
import { EngineDaemon } from './support/engine-daemon.js';
import { REPO_ROOT } from './support/fixture-registry.js';
import { stopLocalFixtureRegistry } from './support/local-fixture-registry.js';
import { freePort, httpGet } from './support/net-probe.js';
import { ensurePackages } from './support/system-packages.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples/hit-counter');
const PROJECT = 'hit-counter';

describe('examples/hit-counter', () => {
  let engine: EngineDaemon;
  let registryDir: string;
  let dir: string;
  let port: number;
  let file = join(EXAMPLE, 'compose.yaml');

  const compose = async (...args: string[]) => {
    const result = await engine.cli(['compose', '-f', file, ...args]);
    assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const ids = async () =>
    new Map((await compose('ps', '--format', 'json')).stdout.trim().split('\n').filter(Boolean).map((line) => {
      const entry = JSON.parse(line) as { ID: string; Service: string };
      return [entry.Service, entry.ID];
    }));
  const hits = async () => Number(/^hits: (\d+)$/.exec((await httpGet(`http://127.0.0.1:${port}/`, 20_000)).trim())?.[1]);
  before(async () => {
    await ensurePackages('runc', 'conmon', 'containernetworking-plugins', 'iptables');
    registryDir = await mkdtemp(join(tmpdir(), 'tsc-engine-hit-counter-registry-'));
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-hit-counter-'));
    const registry = `127.0.0.1:${await freePort()}`;
    await run(join(EXAMPLE, 'build-images.sh'), [], { env: { ...process.env, EXAMPLE_REGISTRY: registry, EXAMPLE_REGISTRY_DIR: registryDir } });
    port = await freePort();
    engine = await EngineDaemon.start({ env: { HIT_COUNTER_REGISTRY: registry, HIT_COUNTER_PORT: String(port) } });
  });

  after(async () => {
    await engine?.cli(['compose', '-f', file, 'down', '-v', '-t', '0']);
    await engine?.stop();
    if (registryDir) {
      await stopLocalFixtureRegistry(registryDir);
      await rm(registryDir, { recursive: true, force: true });
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('comes up with up -d --wait, redis healthy before web starts, and counts hits', async () => {
    const { stderr } = await compose('up', '-d', '--wait', '--progress', 'plain');
    assert.ok(stderr.indexOf(`Container ${PROJECT}-redis-1  Healthy`) < stderr.indexOf(`Container ${PROJECT}-web-1  Starting`), stderr);
    assert.match(stderr, new RegExp(`Container ${PROJECT}-web-1  Healthy`));
    assert.equal(await hits(), 1);
    assert.equal(await hits(), 2);
  });

  it('survives compose restart web, the count kept in redis', async () => {
    const before = await ids();
    assert.match((await compose('restart', 'web')).stderr, new RegExp(`Container ${PROJECT}-web-1  Started`));
    assert.equal(await hits(), 3);
    assert.deepEqual(await ids(), before);
  });

  it('is recreated only where the YAML changed', async () => {
    const before = await ids();
    const yaml = await readFile(file, 'utf8');
    file = join(dir, 'compose.yaml');
    await writeFile(file, yaml.replace('      REDIS_HOST: redis\n', '      REDIS_HOST: redis\n      GREETING: changed\n'));
    const { stderr } = await compose('up', '-d', '--wait', '--progress', 'plain');
    assert.match(stderr, new RegExp(`Container ${PROJECT}-web-1  Recreated \\(configuration changed\\)`));
    assert.match(stderr, new RegExp(`Container ${PROJECT}-redis-1  Running`));
    assert.doesNotMatch(stderr, new RegExp(`Container ${PROJECT}-redis-1  Recreate`));
    const afterwards = await ids();
    assert.equal(afterwards.get('redis'), before.get('redis'));
    assert.notEqual(afterwards.get('web'), before.get('web'));
    assert.equal(await hits(), 4);
  });

  it('down -v removes every container, network and volume it made', async () => {
    const { stderr } = await compose('down', '-v', '-t', '1', '--progress', 'plain');
    assert.match(stderr, new RegExp(`Volume ${PROJECT}_redis-data  Removed`));
    assert.deepEqual(await projectObjects(engine, PROJECT, 'container'), []);
    assert.deepEqual(await projectObjects(engine, PROJECT, 'network'), []);
    assert.deepEqual(await projectObjects(engine, PROJECT, 'volume'), []);
  });
});
