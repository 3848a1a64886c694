// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetachKeysFilter, parseDetachKeys } from './detach-keys.js';

/** Feeds `chunks` through a filter; answers what passed and whether it detached. */
async function filter(keys: string, chunks: string[]): Promise<{ passed: string; detached: boolean }> {
  const proxy = new DetachKeysFilter(parseDetachKeys(keys));
  let detached = false;
  proxy.once('detach', () => (detached = true));
  let passed = '';
  proxy.on('data', (chunk: Buffer) => (passed += chunk.toString('latin1')));
  for (const chunk of chunks) proxy.write(Buffer.from(chunk, 'latin1'));
  proxy.end();
  await new Promise((resolve) => proxy.once('end', resolve));
  return { passed, detached };
}

describe('detach keys', () => {
  it("parses Docker's notation", () => {
    assert.deepEqual([...parseDetachKeys('')], [16, 17]);
    assert.deepEqual([...parseDetachKeys('ctrl-a,x,ctrl-@,ctrl-[,ctrl-_')], [1, 0x78, 0, 27, 31]);
    assert.throws(() => parseDetachKeys('ctrl-1'), /Invalid detach keys \(ctrl-1\) provided/);
    assert.throws(() => parseDetachKeys('ab'), /Invalid detach keys/);
  });

  it('detaches on the sequence, even split across reads, and passes what came before it', async () => {
    assert.deepEqual(await filter('', ['ls\n\x10', '\x11more']), { passed: 'ls\n', detached: true });
  });

  it('passes a broken sequence on, and a repeated first key starts it again', async () => {
    assert.deepEqual(await filter('', ['a\x10b\x10\x10c']), { passed: 'a\x10b\x10\x10c', detached: false });
    assert.deepEqual(await filter('', ['\x10\x10\x11']), { passed: '\x10', detached: true });
  });
});
