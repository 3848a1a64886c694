// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demuxDockerStream, encodeDockerFrame } from './docker-stream-demuxer.js';
import type { LogChunk } from './engine-client.js';

async function collect(pieces: Buffer[]): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  for await (const chunk of demuxDockerStream(pieces)) chunks.push(chunk);
  return chunks;
}

test('frames split at every byte boundary come out whole and on the right stream', async () => {
  const wire = Buffer.concat([
    encodeDockerFrame('stdout', Buffer.from('hello\n')),
    encodeDockerFrame('stderr', Buffer.from('oops\n')),
    encodeDockerFrame('stdin', Buffer.from('echo\n')),
  ]);
  for (let cut = 0; cut <= wire.length; cut++) {
    const chunks = await collect([wire.subarray(0, cut), wire.subarray(cut)]);
    assert.deepEqual(
      chunks.map((c) => [c.stream, c.data.toString()]),
      [['stdout', 'hello\n'], ['stderr', 'oops\n'], ['stdout', 'echo\n']],
    );
  }
});

test('one read holding many frames, then one byte at a time', async () => {
  const wire = Buffer.concat([encodeDockerFrame('stdout', Buffer.from('a')), encodeDockerFrame('stdout', Buffer.from('bc'))]);
  assert.equal((await collect([wire])).map((c) => c.data.toString()).join(''), 'abc');
  const bytes = [...wire].map((b) => Buffer.from([b]));
  assert.equal((await collect(bytes)).map((c) => c.data.toString()).join(''), 'abc');
});

test('a system-error frame becomes an error carrying its text', async () => {
  const wire = Buffer.concat([encodeDockerFrame('stdout', Buffer.from('x')), encodeDockerFrame('system', Buffer.from('log driver failed\n'))]);
  await assert.rejects(collect([wire]), { code: 'internal', message: 'log driver failed' });
});

test('a stream cut inside a frame is reported, not silently dropped', async () => {
  const wire = encodeDockerFrame('stdout', Buffer.from('abcdef'));
  await assert.rejects(collect([wire.subarray(0, 10)]), /truncated frame/);
});
