// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { UnpackWorkerPool } from './unpack-worker-pool.js';

const SCRIPT = new URL('./layer-unpack-worker.js', import.meta.url);

describe('UnpackWorkerPool', () => {
  it('gives each job a thread of its own up to maxThreads, then shares the least busy one', async () => {
    const pool = new UnpackWorkerPool(SCRIPT, 2, 60_000);
    pool.warm(3);
    assert.equal(pool.idleCount, 2);
    const first = pool.acquire();
    const second = pool.acquire();
    assert.notEqual(second, first);
    assert.equal(pool.idleCount, 0);
    const third = pool.acquire();
    assert.equal(third, first, 'no third thread: the first, as busy as the second, takes the job too');
    pool.release(second);
    assert.equal(pool.idleCount, 1);
    assert.equal(pool.acquire(), second, 'the thread without a job goes first');
    for (const worker of [first, second, third]) pool.release(worker);
    assert.equal(pool.idleCount, 2);
  });

  it('starts threads as jobs come while below maxThreads', async () => {
    const pool = new UnpackWorkerPool(SCRIPT, 2, 60_000);
    const first = pool.acquire();
    const second = pool.acquire();
    assert.notEqual(second, first);
    pool.release(first);
    pool.release(second);
    assert.equal(pool.idleCount, 2);
    await Promise.all([first.terminate(), second.terminate()]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pool.idleCount, 0, 'an ended thread is forgotten');
  });

  it('ends threads left idle too long', async () => {
    const pool = new UnpackWorkerPool(SCRIPT, 2, 50);
    const worker = pool.acquire();
    pool.release(worker);
    assert.equal(pool.idleCount, 1);
    // Neither the idle thread nor its timer keeps this process alive while it waits.
    const keepAlive = setInterval(() => {}, 1000);
    await once(worker, 'exit');
    clearInterval(keepAlive);
    assert.equal(pool.idleCount, 0);
  });

  it('never keeps a process alive with idle threads', async () => {
    const script = `import { UnpackWorkerPool } from ${JSON.stringify(new URL('./unpack-worker-pool.js', import.meta.url).href)};
      const pool = new UnpackWorkerPool(new URL(${JSON.stringify(SCRIPT.href)}), 4, 60_000);
      pool.warm(4);
      pool.release(pool.acquire());`;
    const started = Date.now();
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    assert.ok(Date.now() - started < 20_000);
  });
});
