// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binarySize, formatG, humanSize } from './human-size.js';

test('image sizes use decimal units and 3 significant digits, like docker images', () => {
  const cases: [number, string][] = [
    [0, '0B'], [999, '999B'], [1000, '1kB'], [1234, '1.23kB'], [4_260_000, '4.26MB'], [7_500_000, '7.5MB'],
    [123_456_789, '123MB'], [1_200_000_000, '1.2GB'], [999_999, '1e+03kB'],
  ];
  for (const [bytes, text] of cases) assert.equal(humanSize(bytes), text, String(bytes));
});

test('memory uses binary units with 4 digits; %g matches Go', () => {
  assert.equal(binarySize(8 * 1024 ** 3), '8GiB');
  assert.equal(binarySize(8_200_000_000), '7.637GiB');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(formatG(100, 3), '100');
});
