// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { reportWarnings } from './progress-writer.js';
import { TtyProgress } from './tty-progress.js';

/** A 40-column terminal that keeps what was written to it, frame by frame. */
function terminal(): { out: PassThrough & { columns: number }; frames: string[] } {
  const out = Object.assign(new PassThrough(), { columns: 40 });
  const frames: string[] = [];
  out.on('data', (chunk: Buffer) => frames.push(chunk.toString()));
  return { out, frames };
}

test('a warning keeps its own line under its container, and its wrapped rows are redrawn over', async () => {
  const { out, frames } = terminal();
  const progress = new TtyProgress(out);
  const subject = { kind: 'Container', name: 'p-web-1', service: 'web' } as const;
  progress.emit({ ...subject, status: 'Creating', state: 'working' });
  const warning = 'Your kernel does not support OomKillDisable. OomKillDisable discarded.';
  reportWarnings(progress, subject, [warning]);
  progress.emit({ ...subject, status: 'Started', state: 'done' });
  progress.close();
  await new Promise((resolve) => setImmediate(resolve));

  const last = frames.at(-1)!;
  // The frame before: the header, the container's line and the warning wrapped onto three 40-column rows.
  assert.ok(last.startsWith('\x1b[5A\r\x1b[J'), JSON.stringify(last));
  assert.deepEqual(last.replace(/\x1b\[[0-9;]*[A-Za-z]|\r/g, '').split('\n'), [
    '[+] Running 2/2',
    ' ✔ Container p-web-1  Started',
    ` ! Container p-web-1  Warning (${warning})`,
    '',
  ]);
});
