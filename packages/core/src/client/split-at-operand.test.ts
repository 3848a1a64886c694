// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAtOperand, type FlagShape } from './split-at-operand.js';

const flags: Record<string, FlagShape> = {
  rm: { type: 'boolean' },
  detach: { type: 'boolean', char: 'd' },
  env: { type: 'option', char: 'e' },
  label: { type: 'option', char: 'l' },
  name: { type: 'option' },
  autostart: { type: 'boolean', allowNo: true },
};

test("the container's command keeps its flags, even ones named like ours", () => {
  assert.deepEqual(splitAtOperand(['--rm', '-e', 'A=1', 'busybox', 'ls', '-l', '--name', 'x'], flags), {
    own: ['--rm', '-e', 'A=1', 'busybox'],
    command: ['ls', '-l', '--name', 'x'],
  });
});

test('values attached, bundled short flags, --no-x and -- are understood', () => {
  assert.deepEqual(splitAtOperand(['--name=web', '-eA=1', '-de', 'B=2', '--no-autostart', 'img', 'sh'], flags), {
    own: ['--name=web', '-eA=1', '-de', 'B=2', '--no-autostart', 'img'],
    command: ['sh'],
  });
  assert.deepEqual(splitAtOperand(['-d', '--', 'img', '-x'], flags), { own: ['-d', 'img'], command: ['-x'] });
  assert.deepEqual(splitAtOperand(['--rm'], flags), { own: ['--rm'], command: [] });
});
