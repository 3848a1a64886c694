// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAtCommand } from './split-at-command.js';

test('splitAtCommand separates the project flags written before the compose subcommand', () => {
  assert.deepEqual(splitAtCommand(['-f', 'a.yaml', '--file=b.yaml', '-p', 'x', '--profile', 'debug', 'up', '-d', 'web']), {
    leading: ['--file', 'a.yaml', '--file=b.yaml', '--project-name', 'x', '--profile', 'debug'],
    command: 'up',
    rest: ['-d', 'web'],
  });
  assert.deepEqual(splitAtCommand(['config']), { leading: [], command: 'config', rest: [] });
  assert.deepEqual(splitAtCommand(['-f', 'a.yaml']), { leading: ['--file', 'a.yaml'], rest: [] });
  // `logs -f` is --follow: the project's -f must reach the subcommand as --file.
  assert.deepEqual(splitAtCommand(['-f', 'a.yaml', 'logs', '-f']), { leading: ['--file', 'a.yaml'], command: 'logs', rest: ['-f'] });
});
