// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readK8sLog } from './k8s-log-reader.js';
import type { LogEntry } from './supervisor.js';

const T1 = '2026-01-01T00:00:00.000000001+00:00';

describe('readK8sLog', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'tsc-engine-k8s-log-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  async function follow(path: string, isDone: () => Promise<boolean>, finished?: Promise<unknown>): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    for await (const entry of readK8sLog(path, { follow: true }, isDone, undefined, finished)) entries.push(entry);
    return entries;
  }

  it('a follower ends as soon as the writer finishes silently, not at its next poll', async () => {
    const path = join(dir, 'silent.log');
    await writeFile(path, `${T1} stdout F only line\n`);
    let done = false;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const reading = follow(path, async () => done, finished);
    // Let the follower read what is there and start waiting for more.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const end = performance.now();
    done = true;
    finish();
    const entries = await reading;
    // The file does not change, so without `finished` this takes a whole poll (250 ms).
    assert.ok(performance.now() - end < 150, `ended ${Math.round(performance.now() - end)} ms after the writer`);
    assert.deepEqual(entries.map((e) => e.data.toString()), ['only line\n']);
  });

  it('without a way to await the writer, polling still ends the follower', async () => {
    const path = join(dir, 'polled.log');
    await writeFile(path, `${T1} stderr F bye\n`);
    let polls = 0;
    const entries = await follow(path, async () => ++polls > 1);
    assert.deepEqual(entries.map((e) => [e.stream, e.data.toString()]), [['stderr', 'bye\n']]);
  });
});
