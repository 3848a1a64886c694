// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAtCommand } from './split-at-command.js';

test('splitAtCommand separates the project flags written before the compose subcommand', () => {
  assert.deepEqual(splitAtCommand(['-f', 'a.yaml', '--file=b.yaml', '-p', 'x', '--profile', 'debug', 'up', '-d', 'web']), {
    leading: ['-f', 'a.yaml', '--file=b.yaml', '-p', 'x', '--profile', 'debug'],
    command: 'up',
    rest: ['-d', 'web'],
  });
  assert.deepEqual(splitAtCommand(['config']), { leading: [], command: 'config', rest: [] });
  assert.deepEqual(splitAtCommand(['-f', 'a.yaml']), { leading: ['-f', 'a.yaml'], rest: [] });
});
