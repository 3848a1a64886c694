// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ConcurrencyLimit, settleAll } from './concurrency-limit.js';

test('ConcurrencyLimit runs at most its limit at once', async () => {
  const limit = new ConcurrencyLimit(2);
  let active = 0;
  let peak = 0;
  await limit.all([1, 2, 3, 4, 5], async () => {
    peak = Math.max(peak, ++active);
    await delay(5);
    active--;
  });
  assert.equal(peak, 2);
});

test('settleAll rejects with the first failure only once every promise settled', async () => {
  let slowDone = false;
  const slow = delay(20).then(() => {
    slowDone = true;
  });
  await assert.rejects(settleAll([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))]), /first/);
  assert.equal(slowDone, true);
});
