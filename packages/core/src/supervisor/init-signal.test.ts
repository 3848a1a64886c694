// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { processStartTime, signalNumber } from './init-signal.js';

describe('signalNumber', () => {
  it('reads signals as runc kill takes them, and leaves unknown ones to the runtime', () => {
    assert.equal(signalNumber('TERM'), 15);
    assert.equal(signalNumber('SIGKILL'), 9);
    assert.equal(signalNumber('hup'), 1);
    assert.equal(signalNumber('10'), 10);
    assert.equal(signalNumber('RTMIN+3'), undefined);
    assert.equal(signalNumber('NOPE'), undefined);
  });
});

describe('processStartTime', () => {
  it('tells a running process from one that exited, and one process from another', async () => {
    const first = spawn('sleep', ['30']);
    const second = spawn('sleep', ['30']);
    try {
      const started = await processStartTime(first.pid!);
      assert.match(started ?? '', /^\d+$/);
      assert.equal(await processStartTime(first.pid!), started);
      assert.equal(typeof (await processStartTime(second.pid!)), 'string');
    } finally {
      first.kill('SIGKILL');
      second.kill('SIGKILL');
    }
    await once(first, 'exit');
    assert.equal(await processStartTime(first.pid!), undefined);
    assert.equal(await processStartTime(0), undefined);
  });
});
