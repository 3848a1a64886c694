// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnvFile, resolveEnvironment } from './container-environment.js';

const lookup = (name: string) => ({ HOME: '/root', EMPTY: '' })[name];

test('-e VAR copies the value from the CLI environment, or drops the variable when unset', () => {
  assert.deepEqual(resolveEnvironment(['A=1', 'HOME', 'EMPTY', 'UNSET', 'B=x=y'], lookup), ['A=1', 'HOME=/root', 'EMPTY=', 'B=x=y']);
  assert.throws(() => resolveEnvironment(['=x'], lookup), { code: 'invalid-argument' });
});

test('env files: comments and blank lines skipped, values verbatim, bare names looked up', () => {
  const content = '# comment\n\n  A=1\nB= spaced value \r\nHOME\nUNSET\n';
  assert.deepEqual(parseEnvFile(content, 'x.env', lookup), ['A=1', 'B= spaced value ', 'HOME=/root']);
  assert.throws(() => parseEnvFile('BAD NAME=1\n', 'x.env', lookup), /x\.env line 1: variable 'BAD NAME' contains whitespaces/);
});
