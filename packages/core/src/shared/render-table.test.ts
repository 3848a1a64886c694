// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTable } from './render-table.js';

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

test('the minimum width and padding are those given, and line ends can be trimmed', () => {
  assert.equal(renderTable([['PID', 'CMD'], ['7', 'sh']], { minWidth: 4, padding: 2 }), 'PID  CMD\n7    sh\n');
  assert.equal(renderTable([['NAME', 'PORTS'], ['web', '']], { minWidth: 0, trimLineEnds: true }), 'NAME   PORTS\nweb\n');
  assert.equal(renderTable([['NAME', 'PORTS'], ['web', '']], { minWidth: 0 }), 'NAME   PORTS\nweb    \n');
});
