// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJsonStream } from './json-stream-reader.js';

async function collect(pieces: (string | Buffer)[]): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of readJsonStream(pieces)) values.push(value);
  return values;
}

test('reads CRLF-separated and back-to-back objects split anywhere, braces in strings included', async () => {
  const text = '{"status":"Pulling {fs} layer","id":"a"}\r\n{"status":"quote \\" }"}{"aux":{"Tag":"1"}}\n';
  const expected = [{ status: 'Pulling {fs} layer', id: 'a' }, { status: 'quote " }' }, { aux: { Tag: '1' } }];
  for (let cut = 0; cut <= text.length; cut++) {
    assert.deepEqual(await collect([text.slice(0, cut), text.slice(cut)]), expected);
  }
});

test('multi-byte characters split between reads survive', async () => {
  const bytes = Buffer.from('{"status":"héllo ✓"}');
  assert.deepEqual(await collect([bytes.subarray(0, 13), bytes.subarray(13)]), [{ status: 'héllo ✓' }]);
});

test('garbage and truncated values are errors', async () => {
  await assert.rejects(collect(['{"a":1} nope']), /unexpected "n"/);
  await assert.rejects(collect(['{"a":']), /truncated value/);
});
