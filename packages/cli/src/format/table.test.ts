// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ellipsis, shortId } from './table.js';

test('ids are cut to 12 hex digits and long text ends with an ellipsis', () => {
  assert.equal(shortId(`sha256:${'ab'.repeat(32)}`), 'abababababab');
  assert.equal(ellipsis('sh -c while true; do sleep 1; done', 20), 'sh -c while true; d…');
  assert.equal(ellipsis('short', 20), 'short');
});
