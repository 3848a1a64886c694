// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './command-bundle.js';

describe('command bundle', () => {
  it('holds every compiled compose command, each a command class, under the id oclif gives its file', () => {
    const dir = fileURLToPath(new URL('./commands/compose/', import.meta.url));
    const ids = readdirSync(dir)
      .filter((file) => file.endsWith('.js') && !file.endsWith('.test.js'))
      .map((file) => (file === 'index.js' ? 'compose' : `compose:${file.slice(0, -'.js'.length)}`))
      .sort();
    assert.deepEqual(Object.keys(COMMANDS).sort(), ids);
    for (const id of ids) {
      const command = COMMANDS[id] as { prototype?: { run?: unknown } };
      assert.equal(typeof command.prototype?.run, 'function', id);
    }
  });
});
