// SPDX-License-Identifier: Apache-2.0
// Container options compose needs, end to end: capabilities, privileged mode, extra hosts and restart policies.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

/** Bit numbers from linux/capability.h. */
const CAP_CHOWN = 0;
const CAP_NET_ADMIN = 12;
const DEFAULT_MASK = 0xa80425fbn;

interface InspectedState {
  RestartCount: number;
  State: { Status: string; ExitCode: number };
}

async function inspect(engine: EngineDaemon, id: string): Promise<InspectedState> {
  const result = await engine.cli(['inspect', id]);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as InspectedState[])[0];
}

/** Polls until `done` holds of the container's state, failing with the last state after `timeoutMs`. */
async function until(engine: EngineDaemon, id: string, done: (state: InspectedState) => boolean, timeoutMs = 10_000): Promise<InspectedState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await inspect(engine, id);
    if (done(state)) return state;
    if (Date.now() > deadline) assert.fail(`container ${id} never reached the state awaited: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runDetached(engine: EngineDaemon, args: string[]): Promise<string> {
  const result = await engine.cli(['run', '-d', '--network', 'none', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

async function effectiveCaps(engine: EngineDaemon, args: string[]): Promise<bigint> {
  const result = await engine.cli(['run', '--rm', '--network', 'none', ...args, 'grep', 'CapEff', '/proc/self/status']);
  assert.equal(result.code, 0, result.stderr);
  return BigInt(`0x${result.stdout.trim().split(/\s+/)[1]}`);
}

describe('container options', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('gives the default capabilities, adds and drops them by either spelling', async () => {
    assert.equal(await effectiveCaps(engine, [busybox]), DEFAULT_MASK);
    const tweaked = await effectiveCaps(engine, ['--cap-add', 'net_admin', '--cap-drop', 'CAP_CHOWN', busybox]);
    assert.equal(tweaked, (DEFAULT_MASK | (1n << BigInt(CAP_NET_ADMIN))) & ~(1n << BigInt(CAP_CHOWN)));
    assert.equal(await effectiveCaps(engine, ['--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN', busybox]), 1n << BigInt(CAP_NET_ADMIN));
    const unknown = await engine.cli(['run', '--rm', '--network', 'none', '--cap-add', 'NOT_A_CAP', busybox, 'true']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown capability: "NOT_A_CAP"/);
  });

  it('runs a privileged container with every capability and nothing masked or read-only', async () => {
    // The engine grants what it holds itself, and the daemon has this process's bounding set.
    const bounding = /^CapBnd:\s*([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'))![1];
    assert.equal(await effectiveCaps(engine, ['--privileged', busybox]), BigInt(`0x${bounding}`));
    const mountPoints = async (args: string[]) => {
      const result = await engine.cli(['run', '--rm', '--network', 'none', ...args, busybox, 'cat', '/proc/self/mountinfo']);
      assert.equal(result.code, 0, result.stderr);
      return result.stdout.split('\n').map((line) => line.split(' ')[4]);
    };
    assert.ok((await mountPoints([])).includes('/proc/keys'));
    const privileged = await mountPoints(['--privileged']);
    assert.ok(!privileged.includes('/proc/keys'), 'masked path still mounted');
    assert.ok(!privileged.includes('/proc/sys'), 'read-only path still mounted');
  });

  it('appends --add-host entries to the generated /etc/hosts', async () => {
    const result = await engine.cli(['run', '--rm', '--add-host', 'db.internal:10.1.2.3', '--add-host', 'v6:[fd00::1]', busybox, 'cat', '/etc/hosts']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^10\.1\.2\.3\tdb\.internal$/m);
    assert.match(result.stdout, /^fd00::1\tv6$/m);
    assert.match(result.stdout, /^127\.0\.0\.1\tlocalhost$/m);
  });

  it('restarts an on-failure:2 container twice, then leaves it exited', async () => {
    const id = await runDetached(engine, ['--restart', 'on-failure:2', busybox, 'sh', '-c', 'exit 1']);
    const state = await until(engine, id, (s) => s.RestartCount === 2 && s.State.Status === 'exited');
    assert.equal(state.State.ExitCode, 1);
    // Backoff is 100 then 200 ms: a third restart would have come by now.
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.deepEqual(await inspect(engine, id), state);
    const zero = await runDetached(engine, ['--restart', 'on-failure', busybox, 'true']);
    await until(engine, zero, (s) => s.State.Status === 'exited');
    assert.equal((await inspect(engine, zero)).RestartCount, 0, 'a clean exit is no failure');
  });

  it('restarts an always container after each exit until the user stops it', async () => {
    const id = await runDetached(engine, ['--restart', 'always', busybox, 'sh', '-c', 'sleep 0.2']);
    await until(engine, id, (s) => s.RestartCount >= 2);
    const stop = await engine.cli(['stop', '-t', '1', id]);
    assert.equal(stop.code, 0, stop.stderr);
    const stopped = await until(engine, id, (s) => s.State.Status === 'exited');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await inspect(engine, id), stopped, 'restarted after a stop');
    const start = await engine.cli(['start', id]);
    assert.equal(start.code, 0, start.stderr);
    assert.equal((await inspect(engine, id)).RestartCount, 0, "the user's start resets the count");
    assert.equal((await engine.cli(['rm', '-f', id])).code, 0);
  });

  it('starts always containers with the daemon, and unless-stopped ones the user did not stop', async () => {
    const always = await runDetached(engine, ['--restart', 'always', busybox, 'sleep', '1000']);
    const unlessStopped = await runDetached(engine, ['--restart', 'unless-stopped', busybox, 'sleep', '1000']);
    for (const id of [always, unlessStopped]) assert.equal((await engine.cli(['stop', '-t', '0', id])).code, 0);
    await engine.kill();
    await engine.launch();
    assert.equal((await inspect(engine, always)).State.Status, 'running');
    assert.equal((await inspect(engine, unlessStopped)).State.Status, 'exited');
    const rejected = await engine.cli(['run', '--rm', '--restart', 'always', busybox, 'true']);
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /cannot specify both --restart and --rm/);
  });
});
