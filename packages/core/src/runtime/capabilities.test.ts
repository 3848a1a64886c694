// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_CAPABILITIES, containerCapabilities } from './capabilities.js';

describe('containerCapabilities', () => {
  const base = ['CAP_CHOWN', 'CAP_KILL'];

  it('adds and drops names with or without CAP_, in any case', () => {
    assert.deepEqual(containerCapabilities(base, ALL_CAPABILITIES, ['net_admin', 'CAP_KILL'], ['chown']), ['CAP_KILL', 'CAP_NET_ADMIN']);
  });

  it('reads ALL as every grantable capability, and a drop of ALL keeps only the adds', () => {
    const grantable = ['CAP_CHOWN', 'CAP_KILL', 'CAP_SYS_ADMIN'];
    assert.deepEqual(containerCapabilities(base, grantable, ['ALL'], ['SYS_ADMIN']), ['CAP_CHOWN', 'CAP_KILL']);
    assert.deepEqual(containerCapabilities(base, grantable, ['NET_RAW'], ['ALL']), ['CAP_NET_RAW']);
  });

  it('rejects an unknown capability', () => {
    assert.throws(() => containerCapabilities(base, ALL_CAPABILITIES, ['NOPE']), /unknown capability: "NOPE"/);
  });
});
