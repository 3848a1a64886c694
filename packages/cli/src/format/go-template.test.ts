// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderGoTemplate } from './go-template.js';

const data = { Id: 'abc', State: { Status: 'running', Pid: 42 }, Config: { Env: ['A=1', 'B=2'], Labels: { tier: 'web', app: 'x' } }, Empty: null };

test('fields, nested fields and functions render as Go templates do', () => {
  assert.equal(renderGoTemplate('{{.Id}} {{ .State.Status }}/{{.State.Pid}}', data), 'abc running/42');
  assert.equal(renderGoTemplate('{{json .State}}', data), '{"Status":"running","Pid":42}');
  assert.equal(renderGoTemplate('{{join .Config.Env ","}}', data), 'A=1,B=2');
  assert.equal(renderGoTemplate('{{index .Config.Labels "tier"}}', data), 'web');
  assert.equal(renderGoTemplate('{{upper .State.Status}} {{len .Config.Env}}', data), 'RUNNING 2');
});

test('values print as Go prints them', () => {
  assert.equal(renderGoTemplate('{{.Config.Env}}', data), '[A=1 B=2]');
  assert.equal(renderGoTemplate('{{.Config.Labels}}', data), 'map[app:x tier:web]');
  assert.equal(renderGoTemplate('{{.Missing}} {{.Empty}}', data), '<no value> <nil>');
  assert.equal(renderGoTemplate('a {{- .Id -}} b', data), 'aabcb');
});

test('unknown functions are invalid arguments', () => {
  assert.throws(() => renderGoTemplate('{{nope .Id}}', data), { code: 'invalid-argument', message: /function "nope" not defined/ });
});
