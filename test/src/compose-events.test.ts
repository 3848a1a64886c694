// SPDX-License-Identifier: Apache-2.0
// `tsc-engine compose events` from two CLIs on one state store — the embedded one in a directory and a real
// redis-server — both print the same events, live, in the same order.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openStateBackend } from '@tsc-engine/compose';
import { startRedisServer, type TestRedisServer } from '@tsc-engine/core/testing';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/run.js');

/** A running `compose events --json` and the JSON lines it printed so far. */
function followEvents(state: string): { child: ChildProcess; lines: Record<string, unknown>[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'compose', '-p', 'shop', 'events', '--json'], {
    env: { ...process.env, TSC_ENGINE_STATE: state, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { child, lines, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe('compose events from two CLIs', () => {
  let redis: TestRedisServer | undefined;
  let dir: string | undefined;
  after(async () => {
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const kind of ['embedded', 'redis'] as const) {
    it(`see the same stream live (${kind})`, async () => {
      let state: string;
      if (kind === 'redis') {
        redis = await startRedisServer();
        state = redis.url;
      } else {
        dir = await mkdtemp(join(tmpdir(), 'tsc-engine-events-'));
        state = dir;
      }
      const backend = await openStateBackend(state);
      const clis = [followEvents(state), followEvents(state)];
      try {
        // Until both CLIs have subscribed there is nothing to see: ping until each has printed a ping.
        for (let i = 0; !clis.every((c) => c.lines.length > 0); i++) {
          assert.ok(i < 100, 'the CLIs printed no event in 20s');
          await backend.events.append({ namespace: 'shop', topic: '/ping', payload: {} });
          await delay(200);
        }
        const appended = [];
        for (const action of ['create', 'start', 'die']) {
          appended.push(await backend.events.append({ namespace: 'shop', topic: `/container/${action}`, payload: { service: 'web' } }));
        }
        await backend.events.append({ namespace: 'other', topic: '/container/start', payload: { service: 'web' } });
        const expected = appended.map((e) => ({
          id: e.id, time: new Date(e.timestamp).toISOString(), project: 'shop', topic: e.topic, payload: e.payload,
        }));
        for (const cli of clis) {
          for (let i = 0; cli.lines.filter((l) => l.topic !== '/ping').length < 3; i++) {
            assert.ok(i < 100, `a CLI printed ${JSON.stringify(cli.lines)}`);
            await delay(100);
          }
          assert.deepEqual(cli.lines.filter((l) => l.topic !== '/ping'), expected);
        }
        for (const cli of clis) cli.child.kill('SIGINT');
        assert.deepEqual(await Promise.all(clis.map((c) => c.exited)), [0, 0]);
      } finally {
        for (const cli of clis) cli.child.kill('SIGKILL');
        await backend.close();
      }
    });
  }
});
