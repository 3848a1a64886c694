// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthProbe, mergeHealthConfig } from './health-config.js';

describe('healthcheck config', () => {
  it("merges the request's healthcheck over the image's as moby does", () => {
    const image = { Test: ['CMD', 'check'], Interval: 5e9, Retries: 4 };
    assert.deepEqual(mergeHealthConfig(image, undefined), image);
    assert.deepEqual(mergeHealthConfig(undefined, { Test: ['NONE'] }), { Test: ['NONE'] });
    assert.deepEqual(mergeHealthConfig(image, { Interval: 1e9 }), {
      Test: ['CMD', 'check'], Interval: 1e9, Timeout: undefined, Retries: 4, StartPeriod: undefined, StartInterval: undefined,
    });
  });

  it("resolves the command and Docker's defaults", () => {
    assert.deepEqual(healthProbe({ Test: ['CMD-SHELL', 'curl -f localhost'] }), {
      args: ['/bin/sh', '-c', 'curl -f localhost'], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, startIntervalMs: 30_000,
    });
    assert.deepEqual(healthProbe({ Test: ['CMD', 'true'], Interval: 2e8, StartPeriod: 1e9 })?.args, ['true']);
    assert.equal(healthProbe({ Test: ['NONE'] }), undefined);
    assert.equal(healthProbe({ Test: [] }), undefined);
    assert.equal(healthProbe(undefined), undefined);
  });

  it('refuses what docker refuses', () => {
    assert.throws(() => mergeHealthConfig(undefined, { Test: ['SHELL', 'x'] }), /unknown healthcheck type 'SHELL'/);
    assert.throws(() => mergeHealthConfig(undefined, { Test: ['CMD', 'x'], Interval: 10 }), /Interval in Healthcheck cannot be less than 1ms/);
    assert.throws(() => mergeHealthConfig(undefined, { Test: ['CMD', 'x'], Retries: -1 }), /cannot be negative/);
  });
});
