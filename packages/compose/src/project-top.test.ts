// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTopTable } from './project-top.js';

test('one table for every container, aligned as docker compose aligns it, CMD last', () => {
  const titles = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
  const table = formatTopTable([
    {
      service: 'multiple',
      replica: '1',
      titles,
      processes: [
        ['root', '1', '1', '0', '12:00', '?', '00:00:04', '/entrypoint'],
        ['root', '123', '1', '0', '12:00', '?', '00:00:42', 'sleep infinity'],
      ],
    },
  ]);
  assert.equal(
    table,
    'SERVICE   #   UID   PID  PPID  C   STIME  TTY  TIME      CMD\n' +
      'multiple  1   root  1    1     0   12:00  ?    00:00:04  /entrypoint\n' +
      'multiple  1   root  123  1     0   12:00  ?    00:00:42  sleep infinity\n',
  );
});

test('columns one container lacks show -, and CMD stays the last column', () => {
  const table = formatTopTable([
    { service: 'a', replica: '1', titles: ['PID', 'CMD'], processes: [['7', 'sh']] },
    { service: 'b', replica: '2', titles: ['PID', 'CMD', 'USER'], processes: [['9', 'top', 'root']] },
  ]);
  assert.equal(table, 'SERVICE  #   PID  USER  CMD\na        1   7    -     sh\nb        2   9    root  top\n');
});

test('nothing running prints nothing', () => {
  assert.equal(formatTopTable([{ service: 'a', replica: '1', titles: ['PID'], processes: [] }]), '');
});
