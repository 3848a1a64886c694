// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ellipsis, renderTable, shortId } from './table.js';

test('columns are padded to the widest cell plus 3, at least 10; the last is not padded', () => {
  assert.equal(
    renderTable([
      ['CONTAINER ID', 'IMAGE', 'NAMES'],
      ['0123456789ab', 'busybox:latest', 'web'],
    ]),
    'CONTAINER ID   IMAGE            NAMES\n0123456789ab   busybox:latest   web\n',
  );
  assert.equal(renderTable([['A', 'B'], ['é', 'x']]), 'A         B\né         x\n');
});

test('ids are cut to 12 hex digits and long text ends with an ellipsis', () => {
  assert.equal(shortId(`sha256:${'ab'.repeat(32)}`), 'abababababab');
  assert.equal(ellipsis('sh -c while true; do sleep 1; done', 20), 'sh -c while true; d…');
  assert.equal(ellipsis('short', 20), 'short');
});
