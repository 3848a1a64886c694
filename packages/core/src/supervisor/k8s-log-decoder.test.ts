// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { K8sLogDecoder } from './k8s-log-decoder.js';

const T1 = '2026-01-01T00:00:00.000000001+00:00';
const T2 = '2026-01-01T00:00:01.000000002+00:00';

describe('K8sLogDecoder', () => {
  it('joins partial records with the next full one of the same stream, across chunk cuts', () => {
    const log = Buffer.from(
      `${T1} stdout P par\n${T1} stderr F err line\n${T2} stdout F tial\n${T2} stdout F \n${T2} stdout F a b  c\n`,
    );
    const decoder = new K8sLogDecoder();
    const entries = [...log].flatMap((byte) => decoder.push(Buffer.from([byte])));
    assert.deepEqual(
      entries.map((e) => [e.stream, e.time, e.data.toString()]),
      [
        ['stderr', T1, 'err line\n'],
        ['stdout', T1, 'partial\n'],
        ['stdout', T2, '\n'],
        ['stdout', T2, 'a b  c\n'],
      ],
    );
    assert.deepEqual(decoder.flush(), []);
  });

  it('keeps raw bytes and hands out an unfinished line on flush', () => {
    const decoder = new K8sLogDecoder();
    const bytes = Buffer.from([0xff, 0x00, 0xc3]);
    assert.deepEqual(decoder.push(Buffer.concat([Buffer.from(`${T1} stdout P `), bytes, Buffer.from('\n')])), []);
    const [entry] = decoder.flush();
    assert.deepEqual(entry?.data, bytes);
  });
});
