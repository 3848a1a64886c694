// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('parses a bearer challenge with quoted parameters', () => {
    assert.deepEqual(
      parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"'),
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }],
    );
  });

  it('parses several challenges, unquoted values and escapes', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic realm="Registry \\"x\\"", Bearer realm=https://t/x, error=invalid_token'), [
      { scheme: 'basic', params: { realm: 'Registry "x"' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', error: 'invalid_token' } },
    ]);
  });

  it('parses a bare scheme and empty input', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic'), [{ scheme: 'basic', params: {} }]);
    assert.deepEqual(parseWwwAuthenticate(''), []);
  });
});
