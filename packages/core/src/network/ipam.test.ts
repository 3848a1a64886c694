// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ipam } from './ipam.js';
import { parseSubnet } from './ipv4.js';

describe('Ipam', () => {
  it('hands out addresses round-robin, skipping network, gateway and broadcast', () => {
    const ipam = new Ipam(parseSubnet('10.0.0.0/29'), '10.0.0.1');
    const given = ['a', 'b', 'c', 'd', 'e'].map((owner) => ipam.allocate(owner));
    assert.deepEqual(given, ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    assert.throws(() => ipam.allocate('f'), /no free address/);
    ipam.release('10.0.0.3');
    assert.equal(ipam.allocate('g'), '10.0.0.3');
  });

  it('does not give a released address again before the others', () => {
    const ipam = new Ipam(parseSubnet('10.0.0.0/24'), '10.0.0.1');
    const first = ipam.allocate('a');
    ipam.release(first);
    assert.notEqual(ipam.allocate('b'), first);
  });

  it('honours a requested address, refusing one held by another owner or outside the subnet', () => {
    const ipam = new Ipam(parseSubnet('10.0.0.0/24'), '10.0.0.1');
    assert.equal(ipam.allocate('a', '10.0.0.50'), '10.0.0.50');
    assert.throws(() => ipam.allocate('b', '10.0.0.50'), /already in use/);
    assert.throws(() => ipam.allocate('b', '10.0.1.5'), /not usable/);
    assert.throws(() => ipam.allocate('b', '10.0.0.1'), /not usable/);
    assert.equal(ipam.ownerOf('10.0.0.50'), 'a');
  });

  it('adopts the leases of a previous daemon', () => {
    const ipam = new Ipam(parseSubnet('10.0.0.0/30'), '10.0.0.1');
    ipam.adopt('a', '10.0.0.2');
    assert.throws(() => ipam.allocate('b'), /no free address/);
  });
});
