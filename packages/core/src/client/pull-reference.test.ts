// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPullReference } from './pull-reference.js';

test('references are split and qualified as the Docker client sends them to /images/create', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const cases: [string, string, string, boolean][] = [
    ['busybox', 'docker.io/library/busybox', 'latest', true],
    ['busybox:1.36', 'docker.io/library/busybox', '1.36', false],
    ['user/app', 'docker.io/user/app', 'latest', true],
    ['index.docker.io/user/app:2', 'docker.io/user/app', '2', false],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y', 'latest', true],
    ['localhost/x:3', 'localhost/x', '3', false],
    [`127.0.0.1:5000/x@${digest}`, '127.0.0.1:5000/x', digest, false],
    [`x:1@${digest}`, 'docker.io/library/x', digest, false],
  ];
  for (const [image, fromImage, tag, defaultTag] of cases) {
    assert.deepEqual(toPullReference(image), { fromImage, tag, defaultTag }, image);
  }
});
