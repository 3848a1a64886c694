// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nanoCpus, ramInBytes } from './ram-in-bytes.js';

describe('ramInBytes', () => {
  it('reads sizes as docker does, in binary units', () => {
    assert.equal(ramInBytes('1024'), 1024);
    assert.equal(ramInBytes('512m'), 512 * 2 ** 20);
    assert.equal(ramInBytes('1g'), 2 ** 30);
    assert.equal(ramInBytes('1.5GiB'), 1.5 * 2 ** 30);
    assert.throws(() => ramInBytes('lots'), /invalid size: 'lots'/);
  });
});

describe('nanoCpus', () => {
  it('reads a decimal CPU count exactly, as docker\'s --cpus', () => {
    assert.equal(nanoCpus('1.5'), 1_500_000_000);
    assert.equal(nanoCpus('0.000000001'), 1);
    assert.equal(nanoCpus('.5'), 500_000_000);
    assert.equal(nanoCpus('2'), 2e9);
    assert.throws(() => nanoCpus('0.0000000001'), /value is too precise/);
    assert.throws(() => nanoCpus('one'), /failed to parse one as a rational number/);
  });
});
