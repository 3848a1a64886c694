// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilters } from './http-responses.js';
import { toRfc3339Nano } from './log-stream.js';
import { Router } from './router.js';

describe('Router', () => {
  const handler = async () => undefined;
  const router = new Router([
    { method: 'GET', path: '/images/:name*/json', handler },
    { method: 'DELETE', path: '/images/:name*', handler },
    { method: 'POST', path: '/containers/:id/start', handler },
  ]);

  it('matches image names with slashes and ports, and decodes parameters', () => {
    const match = router.match('GET', '/images/127.0.0.1:5000/fixtures/busybox/json');
    assert.ok(match && match !== 'method-not-allowed');
    assert.equal(match.params.name, '127.0.0.1:5000/fixtures/busybox');
    const encoded = router.match('DELETE', '/images/busybox%3Alatest');
    assert.ok(encoded && encoded !== 'method-not-allowed');
    assert.equal(encoded.params.name, 'busybox:latest');
  });

  it('tells a wrong method from an unknown path, and serves HEAD from GET', () => {
    assert.equal(router.match('GET', '/containers/x/start'), 'method-not-allowed');
    assert.equal(router.match('POST', '/nothing'), undefined);
    assert.ok(router.match('HEAD', '/images/x/json'));
  });
});

describe('filters and timestamps', () => {
  it('accepts both JSON shapes of filters', () => {
    const query = (value: unknown) => new URLSearchParams({ filters: JSON.stringify(value) });
    assert.deepEqual(parseFilters(query({ label: { 'a=b': true, off: false } })), { label: ['a=b'] });
    assert.deepEqual(parseFilters(query({ status: ['running', 'exited'] })), { status: ['running', 'exited'] });
    assert.throws(() => parseFilters(new URLSearchParams({ filters: '{' })), /invalid filter/);
  });

  it("writes conmon's timestamps in UTC with nine fraction digits, as Docker does", () => {
    assert.equal(toRfc3339Nano('2026-11-26T17:18:59.225380265+00:00'), '2026-11-26T17:18:59.225380265Z');
    assert.equal(toRfc3339Nano('2026-11-26T18:18:59.225380000+01:00'), '2026-11-26T17:18:59.225380000Z');
    assert.equal(toRfc3339Nano('2026-11-26T17:18:59.2253+00:00'), '2026-11-26T17:18:59.225300000Z');
  });
});
