// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familiarName, formatReference, parseImageReference } from './image-reference-parser.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  const valid: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['user/app/sub:v1', 'docker.io/user/app/sub:v1', 'user/app/sub:v1'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/fixtures/busybox', '127.0.0.1:5000/fixtures/busybox:latest', '127.0.0.1:5000/fixtures/busybox:latest'],
    ['registry.example.com/a/b:tag', 'registry.example.com/a/b:tag', 'registry.example.com/a/b:tag'],
    ['Registry/app', 'Registry/app:latest', 'Registry/app:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`, `busybox@${DIGEST}`],
    [`busybox:1@${DIGEST}`, `docker.io/library/busybox:1@${DIGEST}`, `busybox:1@${DIGEST}`],
    ['a-b_c__d/f--g.h', 'docker.io/a-b_c__d/f--g.h:latest', 'a-b_c__d/f--g.h:latest'],
  ];
  for (const [input, full, familiar] of valid) {
    it(`normalises ${input}`, () => {
      const reference = parseImageReference(input);
      assert.equal(formatReference(reference), full);
      assert.equal(familiarName(reference), familiar);
    });
  }

  it('splits domain and path', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/fixtures/busybox'), {
      domain: '127.0.0.1:5000', path: 'fixtures/busybox', tag: 'latest',
    });
    assert.deepEqual(parseImageReference('busybox', { defaultTag: false }), { domain: 'docker.io', path: 'library/busybox' });
  });

  const invalid: [string, RegExp][] = [
    ['', /at least one component/],
    ['Busybox', /repository name must be lowercase/],
    ['docker.io/User/app', /repository name must be lowercase/],
    ['busybox:-bad', /invalid tag "-bad"/],
    [`busybox:${'t'.repeat(129)}`, /invalid tag/],
    ['busybox@sha256:abc', /invalid digest/],
    ['busybox@sha256:' + 'A'.repeat(64), /invalid sha256 digest/],
    ['a..b/c', /invalid registry host "a..b"/],
    ['host:5000//app', /empty component/],
    ['app_/x', /invalid repository name component "app_"/],
    ['a'.repeat(64), /cannot specify 64-byte hexadecimal strings/],
    [`x/${'a'.repeat(260)}`, /must not be more than 255 characters/],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input.slice(0, 40))}`, () => {
      assert.throws(() => parseImageReference(input), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'invalid-argument');
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
