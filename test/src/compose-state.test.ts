// SPDX-License-Identifier: Apache-2.0
// Compose commands sharing a real redis-server as their state store: the same `ps` and the same live `events` from
// two CLIs, two concurrent `up`s that never interleave, a held project lock that fails `up` naming its holder,
// Redis killed mid-`up` (a clear failure, then a rerun that converges once it is back), and `logs -f` following a
// service across a restart and a recreation.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { openStateBackend } from '@tsc-engine/compose';
import type { StateBackend } from '@tsc-engine/core/state';
import { startRedisServer, type TestRedisServer } from '@tsc-engine/core/testing';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { REPO_ROOT } from './support/fixture-registry.js';

const CLI = join(REPO_ROOT, 'packages/cli/bin/run.js');
const PROJECT = 'shared';

/** `ready` turns healthy about two seconds after it starts, so an `up` spends that long waiting for it. */
function composeFile(image: string, greeting: string): string {
  return `
name: ${PROJECT}
services:
  ready:
    image: ${image}
    command: ["sh", "-c", "sleep 2; touch /tmp/ready; trap 'exit 0' TERM; sleep 300 & wait"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 500ms
      retries: 60
  app:
    image: ${image}
    command: ["sh", "-c", "echo app says $$GREETING; trap 'exit 0' TERM; sleep 300 & wait"]
    environment:
      GREETING: ${greeting}
    depends_on:
      ready:
        condition: service_healthy
`;
}

/** A CLI left running (`events`, `logs -f`, an `up` to interrupt), with what it printed so far. */
interface RunningCli {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exited: Promise<number | null>;
}

describe('compose on a shared Redis state store', () => {
  let setup: EngineWithImages;
  let redis: TestRedisServer;
  let engine: EngineDaemon;
  let backend: StateBackend;
  let dir: string;
  let image: string;
  const file = () => join(dir, 'compose.yaml');

  const start = (args: string[]): RunningCli => {
    const child = spawn(process.execPath, [CLI, 'compose', '-f', file(), ...args], {
      env: { ...process.env, TSC_ENGINE_HOST: engine.socketPath, TSC_ENGINE_NO_AUTOSTART: '1', TSC_ENGINE_STATE: redis.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running: RunningCli = { child, stdout: [], stderr: '', exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    createInterface({ input: child.stdout! }).on('line', (line) => running.stdout.push(line));
    child.stderr!.on('data', (chunk: Buffer) => (running.stderr += chunk.toString()));
    return running;
  };
  const compose = (...args: string[]) => engine.cli(['compose', '-f', file(), ...args]);
  const ok = async (...args: string[]) => {
    const result = await compose(...args);
    assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const until = async (what: string, condition: () => boolean, timeoutMs = 20_000) => {
    for (const deadline = Date.now() + timeoutMs; !condition(); await delay(100)) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    }
  };

  before(async () => {
    redis = await startRedisServer();
    setup = await startEngineWithImages({
      packages: ['containernetworking-plugins', 'iptables'],
      pull: false,
      daemon: { env: { TSC_ENGINE_STATE: redis.url } },
    });
    ({ engine, dir, busybox: image } = setup);
    backend = await openStateBackend(redis.url);
    await writeFile(file(), composeFile(image, 'one'));
  });

  after(async () => {
    await engine?.cli(['compose', '-f', file(), 'down', '-t', '0']);
    await backend?.close();
    await setup?.stop();
    await redis?.stop();
  });

  it('two concurrent ups never interleave, and two CLIs follow the same events live', async () => {
    const followers = [start(['events', '--json']), start(['events', '--json'])];
    try {
      // Until both followers have subscribed there is nothing to see: ping until each has printed a ping.
      for (let i = 0; !followers.every((f) => f.stdout.length > 0); i++) {
        assert.ok(i < 100, 'the followers printed no event in 20s');
        await backend.events.append({ namespace: PROJECT, topic: '/ping', payload: {} });
        await delay(200);
      }
      const ups = await Promise.all([compose('up', '-d', '--wait'), compose('up', '-d', '--wait')]);
      for (const up of ups) assert.equal(up.code, 0, up.stderr);
      assert.ok(ups.some((up) => /project "shared" is busy: lock "compose\/project\/shared" is held by "compose up \(pid \d+/.test(up.stderr)),
        `neither up waited for the other:\n${ups.map((up) => up.stderr).join('\n')}`);

      const events = () => followers.map((f) => f.stdout.map((line) => JSON.parse(line) as { topic: string; payload: Record<string, string> }).filter((e) => e.topic !== '/ping'));
      await until('both followers to see both ups end', () => events().every((list) => list.filter((e) => e.topic === '/command/done').length === 2));
      const [first, second] = events();
      assert.deepEqual(first, second);
      // Each up's events sit between its own start and done: the second starts after the first is done.
      const commands = first.filter((e) => e.topic.startsWith('/command/')).map((e) => [e.topic, e.payload.owner]);
      assert.deepEqual(commands.map(([topic]) => topic), ['/command/start', '/command/done', '/command/start', '/command/done']);
      assert.equal(commands[0][1], commands[1][1]);
      assert.equal(commands[2][1], commands[3][1]);
      assert.ok(first.some((e) => e.topic === '/container/started' && e.payload.service === 'app'), JSON.stringify(first));
    } finally {
      for (const follower of followers) follower.child.kill('SIGINT');
      assert.deepEqual(await Promise.all(followers.map((f) => f.exited)), [0, 0]);
    }
  });

  it('two CLIs see the same ps, and the records hold the desired state', async () => {
    const [a, b] = await Promise.all([ok('ps', '--format', 'json'), ok('ps', '--format', 'json')]);
    // The two may straddle a second: durations aside, they must agree.
    const timeless = (stdout: string) => stdout.replace(/"(Status|RunningFor)":"[^"]*"/g, '"$1":""');
    assert.equal(timeless(a.stdout), timeless(b.stdout));
    assert.deepEqual(a.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { Service: string; State: string }).State), ['running', 'running']);
    const project = await backend.store.get<{ status: string; services: string[] }>(`compose/project/${PROJECT}`);
    assert.equal(project?.value.status, 'converged');
    assert.deepEqual(project?.value.services, ['ready', 'app']);
    const services = await backend.store.list<{ service: string; desired: string }>({ prefix: `compose/service/${PROJECT}/` });
    assert.deepEqual(services.map((s) => [s.value.service, s.value.desired]), [['app', 'running'], ['ready', 'running']]);
  });

  it('up fails after --lock-wait, naming the holder of the project', async () => {
    const lease = await backend.store.acquireLock({ name: `compose/project/${PROJECT}`, owner: 'a test holding it', ttlMs: 30_000 });
    try {
      const up = await compose('up', '-d', '--lock-wait', '1');
      assert.equal(up.code, 1);
      assert.match(up.stderr, /error: project "shared" is busy: lock "compose\/project\/shared" is held by "a test holding it"/);
      assert.match(up.stderr, /hint: /);
    } finally {
      await backend.store.releaseLock(lease);
    }
  });

  it('logs -f follows a service across a restart and a recreation', async () => {
    const logs = start(['logs', '-f', 'app']);
    try {
      const says = (what: string) => logs.stdout.filter((line) => line === `app-1 | app says ${what}`).length;
      await until('the first line', () => says('one') === 1);
      await ok('restart', 'app');
      await until('the line after the restart', () => says('one') === 2);
      await writeFile(file(), composeFile(image, 'two'));
      assert.match((await ok('up', '-d', '--progress', 'plain')).stderr, /Container shared-app-1 {2}Recreated/);
      await until('the line of the new container', () => says('two') === 1);
      assert.equal(says('one'), 2, logs.stdout.join('\n'));
    } finally {
      logs.child.kill('SIGINT');
      assert.equal(await logs.exited, 0, logs.stderr);
    }
  });

  it('fails clearly when Redis dies mid-up, and a rerun converges once it is back', async () => {
    await ok('down', '-t', '0');
    const up = start(['up', '-d', '--wait', '--progress', 'plain']);
    await until('up to wait for ready', () => up.stderr.includes('Container shared-ready-1  Waiting'));
    await redis.kill();
    assert.equal(await up.exited, 1, up.stderr);
    assert.match(up.stderr, new RegExp(`error: state store at redis://127\\.0\\.0\\.1:${redis.port} is unreachable`));
    assert.match(up.stderr, /hint: check that redis-server is running/);

    await redis.restart();
    await ok('up', '-d', '--wait');
    const ps = (await ok('ps', '--format', 'json')).stdout.trim().split('\n').map((line) => JSON.parse(line) as { Service: string; State: string });
    assert.deepEqual(ps.map((e) => [e.Service, e.State]), [['app', 'running'], ['ready', 'running']]);
    assert.equal((await backend.store.get<{ status: string }>(`compose/project/${PROJECT}`))?.value.status, 'converged');
  });
});
