// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoistGlobalFlags } from './hoist-global-flags.js';

const topics = new Set(['image', 'system']);

test('leading global flags move after the command id, topics included', () => {
  assert.deepEqual(hoistGlobalFlags(['--host', '/x.sock', '--no-autostart', 'ps', '-a'], topics), ['ps', '--host', '/x.sock', '--no-autostart', '-a']);
  assert.deepEqual(hoistGlobalFlags(['--host=/x.sock', 'image', 'inspect', 'bb'], topics), ['image', 'inspect', '--host=/x.sock', 'bb']);
});

test('everything else is left alone', () => {
  assert.deepEqual(hoistGlobalFlags(['run', 'img', 'sh', '--host', 'y'], topics), ['run', 'img', 'sh', '--host', 'y']);
  assert.deepEqual(hoistGlobalFlags(['--help'], topics), ['--help']);
  assert.deepEqual(hoistGlobalFlags(['--no-autostart'], topics), ['--no-autostart']);
});
