// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpolate } from './interpolation.js';

const vars: Record<string, string> = { SET: 'value', EMPTY: '', NESTED: 'SET', PORT: '8080' };
const lookup = (name: string) => vars[name];

describe('interpolate', () => {
  const cases: [string, string][] = [
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['$SET.txt', 'value.txt'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['a$$', 'a$'],
    ['${UNSET}', ''],
    ['${UNSET:-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${SET:-default}', 'value'],
    ['${UNSET-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-$PORT}', '8080'],
    ['${UNSET:-a:b}', 'a:b'],
    ['${UNSET:-}', ''],
    ['${SET:?must be set}', 'value'],
    ['${EMPTY?must be set}', ''],
    ['${PORT}:80', '8080:80'],
    ['no variables', 'no variables'],
  ];
  for (const [template, expected] of cases) {
    test(`${template} → ${JSON.stringify(expected)}`, () => assert.equal(interpolate(template, { lookup }), expected));
  }

  test('${V:?msg} fails on an empty or unset variable, ${V?msg} only on an unset one', () => {
    assert.throws(() => interpolate('${EMPTY:?give it a value}', { lookup }), /required variable EMPTY is missing a value: give it a value/);
    assert.throws(() => interpolate('${UNSET?nested ${SET}}', { lookup }), /required variable UNSET is missing a value: nested value/);
  });

  test('malformed templates are errors, not silently passed through', () => {
    for (const bad of ['${', '${SET', '$1', 'cost: 5$', '${SET/a/b}', '${}']) {
      assert.throws(() => interpolate(bad, { lookup }), /invalid interpolation format/, bad);
    }
  });

  test('reports each unset variable used without a default', () => {
    const unset: string[] = [];
    interpolate('${A} $B ${C:-x} ${SET}', { lookup, onUnset: (name) => unset.push(name) });
    assert.deepEqual(unset, ['A', 'B']);
  });
});
