// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePortSpec, parseVolumeSpec } from './short-syntax.js';

describe('parsePortSpec', () => {
  test('single ports, host addresses and protocols', () => {
    assert.deepEqual(parsePortSpec(3000), [{ mode: 'ingress', target: 3000, protocol: 'tcp' }]);
    assert.deepEqual(parsePortSpec('8000:80'), [{ mode: 'ingress', target: 80, published: '8000', protocol: 'tcp' }]);
    assert.deepEqual(parsePortSpec('127.0.0.1:53:53/udp'), [
      { mode: 'ingress', host_ip: '127.0.0.1', target: 53, published: '53', protocol: 'udp' },
    ]);
    assert.deepEqual(parsePortSpec('[::1]:8080:80'), [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  test('ranges expand to one entry per port', () => {
    assert.deepEqual(parsePortSpec('3001-3003').map((p) => p.target), [3001, 3002, 3003]);
    assert.deepEqual(parsePortSpec('9090-9091:8080-8081').map((p) => [p.published, p.target]), [['9090', 8080], ['9091', 8081]]);
    assert.deepEqual(parsePortSpec('8000-8010:80'), [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]);
  });

  test('malformed ports are errors', () => {
    assert.throws(() => parsePortSpec('80-79'), /bad range/);
    assert.throws(() => parsePortSpec('a:80'), /not a port/);
    assert.throws(() => parsePortSpec('1-3:1-2'), /differ in length/);
  });
});

describe('parseVolumeSpec', () => {
  test('binds, named and anonymous volumes, modes', () => {
    assert.deepEqual(parseVolumeSpec('./src:/app:ro,z'), {
      type: 'bind', source: './src', target: '/app', read_only: true, bind: { create_host_path: true, selinux: 'z' },
    });
    assert.deepEqual(parseVolumeSpec('data:/var/lib/data'), { type: 'volume', source: 'data', target: '/var/lib/data', volume: {} });
    assert.deepEqual(parseVolumeSpec('/anonymous'), { type: 'volume', target: '/anonymous', volume: {} });
    assert.deepEqual(parseVolumeSpec('~/cfg:/etc/cfg:rw'), { type: 'bind', source: '~/cfg', target: '/etc/cfg', bind: { create_host_path: true } });
    assert.deepEqual(parseVolumeSpec('C:\\data:/data'), { type: 'bind', source: 'C:\\data', target: '/data', bind: { create_host_path: true } });
  });

  test('unknown modes are errors', () => {
    assert.throws(() => parseVolumeSpec('data:/b:rx'), /unknown mode "rx"/);
  });
});
