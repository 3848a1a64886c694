// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainIds } from '../image/chain-id.js';
import { sha256Digest } from '../content/digest.js';
import { isInsecureRegistry, registryEndpoint } from './registry-endpoint.js';

describe('registryEndpoint', () => {
  it('uses plain http for loopback hosts and listed insecure registries only', () => {
    for (const domain of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'localhost']) {
      assert.equal(registryEndpoint(domain).protocol, 'http:', domain);
    }
    assert.equal(registryEndpoint('registry.lan:5000').href, 'https://registry.lan:5000/');
    assert.equal(registryEndpoint('registry.lan:5000', ['registry.lan:5000']).href, 'http://registry.lan:5000/');
    assert.equal(isInsecureRegistry('registry.lan:5000', ['registry.lan']), true);
    assert.equal(isInsecureRegistry('registry.lan:5000', ['http://registry.lan:5000/']), true);
    assert.equal(isInsecureRegistry('other.lan:5000', ['registry.lan']), false);
    assert.equal(isInsecureRegistry('127.example.com'), false);
  });
});

describe('chainIds', () => {
  it('follows the image-spec recurrence', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => sha256Digest(x));
    const second = sha256Digest(`${a} ${b}`);
    assert.deepEqual(chainIds([a, b, c]), [a, second, sha256Digest(`${second} ${c}`)]);
    assert.deepEqual(chainIds([]), []);
  });
});
