// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { ProgressMessage } from '@tsc-engine/core/client';
import { ProgressPrinter, progressBar } from './progress-printer.js';

const messages: ProgressMessage[] = [
  { status: 'Pulling from library/busybox', id: 'latest' },
  { status: 'Pulling fs layer', id: 'a1' },
  { status: 'Pulling fs layer', id: 'b2' },
  { status: 'Downloading', id: 'a1', progressDetail: { current: 500_000, total: 1_000_000 } },
  { status: 'Pull complete', id: 'a1' },
  { status: 'Digest: sha256:00' },
];

function printAll(terminal: boolean): string {
  const out = new PassThrough();
  const printer = new ProgressPrinter(out, terminal);
  for (const message of messages) printer.print(message);
  return out.read()?.toString() ?? '';
}

test('without a terminal: one plain line per status, progress-bar updates left out', () => {
  assert.equal(
    printAll(false),
    'latest: Pulling from library/busybox\na1: Pulling fs layer\nb2: Pulling fs layer\na1: Pull complete\nDigest: sha256:00\n',
  );
});

test('on a terminal: each layer keeps its line, redrawn in place by cursor moves', () => {
  const text = printAll(true);
  // a1 is the second of three lines: its update moves up 2 lines, clears it, redraws, and moves back down.
  assert.ok(text.includes(`\u001b[2A\r\u001b[2Ka1: Downloading ${progressBar({ current: 500_000, total: 1_000_000 })}\u001b[2B\r`));
  assert.ok(text.includes('\u001b[2A\r\u001b[2Ka1: Pull complete\u001b[2B\r'));
  assert.ok(text.endsWith('Digest: sha256:00\n'));
});

test('the bar is 50 wide with sizes, as docker draws it', () => {
  assert.equal(progressBar({ current: 500_000, total: 1_000_000 }), `[${'='.repeat(25)}>${' '.repeat(24)}]    500kB/1MB`);
  assert.equal(progressBar({}), '');
});
