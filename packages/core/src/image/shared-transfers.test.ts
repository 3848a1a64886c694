// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProgressMessage } from '../api/progress-message.js';
import { SharedTransfers, type ProgressListener } from './shared-transfers.js';

/** A task that reports once, then waits until released or aborted. */
function controllable() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let starts = 0;
  let aborted = false;
  const task = async (progress: ProgressListener, signal: AbortSignal) => {
    starts++;
    progress({ status: 'Downloading' });
    await new Promise<void>((resolve, reject) => {
      released.then(resolve);
      signal.addEventListener('abort', () => {
        aborted = true;
        reject(signal.reason);
      });
    });
  };
  return { task, release, starts: () => starts, aborted: () => aborted };
}

describe('SharedTransfers', () => {
  it('runs one task per key for every watcher and reports progress to each', async () => {
    const transfers = new SharedTransfers();
    const work = controllable();
    const seen: ProgressMessage[][] = [[], []];
    const first = transfers.run('layer', work.task, { onProgress: (m) => seen[0].push(m) });
    const second = transfers.run('layer', work.task, { onProgress: (m) => seen[1].push(m) });
    work.release();
    await Promise.all([first, second]);
    assert.equal(work.starts(), 1);
    assert.deepEqual(seen[0], [{ status: 'Downloading' }]);
    assert.deepEqual(seen[1], [], 'the second watcher joined after the progress was reported');
    await transfers.run('layer', async () => {}, { onProgress: () => {} });
  });

  it('keeps a transfer going while a watcher remains, and aborts it when the last one leaves', async () => {
    const transfers = new SharedTransfers();
    const work = controllable();
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = transfers.run('blob', work.task, { onProgress: () => {}, signal: leaving.signal });
    const stays = transfers.run('blob', work.task, { onProgress: () => {}, signal: staying.signal });
    leaving.abort(new Error('client went away'));
    await assert.rejects(left, /client went away/);
    assert.equal(work.aborted(), false);
    staying.abort(new Error('last one gone'));
    await assert.rejects(stays, /last one gone/);
    assert.equal(work.aborted(), true);
  });
});
