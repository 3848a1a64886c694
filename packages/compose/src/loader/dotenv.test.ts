// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDotenv } from './dotenv.js';

test('parseDotenv reads docker compose .env syntax', () => {
  const text = [
    '# comment',
    '',
    'PLAIN=value',
    'export EXPORTED=yes',
    'SPACED = trimmed  ',
    'COMMENTED=value # a comment',
    'HASH=a#b',
    "SINGLE='literal ${PLAIN} \\n'",
    'DOUBLE="line\\nbreak ${PLAIN}"',
    'MULTI="one',
    'two"',
    'REF=${PLAIN}-${FROM_HOST}',
    'ESCAPED=$$PLAIN',
    'EMPTY=',
    'FROM_HOST',
    'MISSING_ON_HOST',
  ].join('\n');
  const vars = parseDotenv(text, (name) => (name === 'FROM_HOST' ? 'host' : undefined), '.env');
  assert.deepEqual(Object.fromEntries(vars), {
    PLAIN: 'value',
    EXPORTED: 'yes',
    SPACED: 'trimmed',
    COMMENTED: 'value',
    HASH: 'a#b',
    SINGLE: 'literal ${PLAIN} \\n',
    DOUBLE: 'line\nbreak value',
    MULTI: 'one\ntwo',
    REF: 'value-host',
    ESCAPED: '$PLAIN',
    EMPTY: '',
    FROM_HOST: 'host',
  });
});

test('parseDotenv names the file and line of a bad entry', () => {
  assert.throws(() => parseDotenv('A=1\nnot valid!=2\n', () => undefined, 'x.env'), /x\.env:2: unexpected character/);
});
