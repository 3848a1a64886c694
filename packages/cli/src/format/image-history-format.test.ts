// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageHistoryExactFormat, imageHistoryFormat, imageHistoryRows } from './image-history-format.js';
import { renderList } from './list-output.js';

const NOW = Date.UTC(2025, 0, 1);
const items = [
  { Id: `sha256:${'ab'.repeat(32)}`, Created: NOW / 1000 - 7200, CreatedBy: '/bin/sh -c #(nop)\tCMD ["sh"] and a command long enough to be cut', Tags: ['x:1'], Size: 0, Comment: '' },
  { Id: '<missing>', Created: NOW / 1000 - 7200, CreatedBy: 'ADD rootfs.tar /', Tags: null, Size: 4_261_000, Comment: 'imported' },
];

describe('imageHistoryRows', () => {
  it("renders docker history's table: short ids, how long ago, commands cut to 45 characters, human sizes", () => {
    assert.equal(
      renderList(imageHistoryRows(items, { truncate: true, human: true, now: NOW }), imageHistoryFormat),
      'IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT\n' +
        'abababababab   2 hours ago   /bin/sh -c #(nop) CMD ["sh"] and a command l…   0B        \n' +
        '<missing>      2 hours ago   ADD rootfs.tar /                                4.26MB    imported\n',
    );
  });

  it('gives exact times and byte counts with -H=false, and everything whole with --no-trunc', () => {
    const [row] = imageHistoryRows(items, { truncate: false, human: false, now: NOW });
    assert.deepEqual(row, {
      ID: items[0].Id,
      CreatedSince: '2024-12-31T22:00:00Z',
      CreatedAt: '2024-12-31T22:00:00Z',
      CreatedBy: '/bin/sh -c #(nop) CMD ["sh"] and a command long enough to be cut',
      Size: '0',
      Comment: '',
    });
    assert.match(renderList([row], imageHistoryExactFormat), /^IMAGE\s+CREATED AT\s+CREATED BY\s+SIZE\s+COMMENT\n/);
  });
});
