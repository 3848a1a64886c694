// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePortBindings, parsePortSpecs } from './port-spec.js';

describe('parsePortSpecs', () => {
  it('reads the forms docker accepts', () => {
    assert.deepEqual(parsePortSpecs(['127.0.0.1:8080:80', '53/udp', ':9000:9000/tcp', '8443:443']).portBindings, {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '53/udp': [{ HostIp: '', HostPort: '' }],
      '9000/tcp': [{ HostIp: '', HostPort: '9000' }],
      '443/tcp': [{ HostIp: '', HostPort: '8443' }],
    });
  });

  it('expands ranges pairwise, and a host range for one port means "any of them"', () => {
    const { portBindings, exposedPorts } = parsePortSpecs(['8000-8001:80-81', '9000-9010:90']);
    assert.deepEqual(portBindings, {
      '80/tcp': [{ HostIp: '', HostPort: '8000' }],
      '81/tcp': [{ HostIp: '', HostPort: '8001' }],
      '90/tcp': [{ HostIp: '', HostPort: '9000-9010' }],
    });
    assert.deepEqual(Object.keys(exposedPorts), ['80/tcp', '81/tcp', '90/tcp']);
  });

  it('rejects what docker rejects', () => {
    assert.throws(() => parsePortSpecs(['80/sctp2']), /invalid protocol/);
    assert.throws(() => parsePortSpecs(['8000-8002:80-81']), /invalid ranges/);
    assert.throws(() => parsePortSpecs(['70000']), /invalid port range/);
    assert.throws(() => parsePortSpecs(['a:b:c:d']), /invalid port specification/);
  });
});

describe('normalizePortBindings', () => {
  it('defaults the protocol to tcp and host port 0 to "pick one"', () => {
    assert.deepEqual(normalizePortBindings({ '80': [{ HostIp: '', HostPort: '0' }], '53/udp': null }), {
      '80/tcp': [{ HostIp: '', HostPort: '' }],
      '53/udp': [{ HostIp: '', HostPort: '' }],
    });
  });
});
