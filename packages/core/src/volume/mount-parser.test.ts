// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBind, parseMounts, parseMountSpec, parseTmpfsOptions } from './mount-parser.js';

describe('parseBind', () => {
  it('reads host binds with their mode and propagation', () => {
    assert.deepEqual(parseBind('/srv/data/:/data:ro'), {
      type: 'bind', source: '/srv/data/', destination: '/data', readOnly: true, mode: 'ro', propagation: 'rprivate', createSource: true,
    });
    assert.equal(parseBind('/a:/b:rw,rshared').propagation, 'rshared');
    assert.equal(parseBind('/a:/b').readOnly, false);
  });

  it('reads named and anonymous volumes', () => {
    assert.deepEqual(parseBind('cache:/var/cache'), {
      type: 'volume', name: 'cache', source: '', destination: '/var/cache', readOnly: false, mode: 'z', propagation: '', copyData: true,
    });
    assert.equal(parseBind('cache:/c:ro,nocopy').copyData, false);
    assert.deepEqual(parseBind('/scratch'), {
      type: 'volume', anonymous: true, source: '', destination: '/scratch', readOnly: false, mode: '', propagation: '', copyData: true,
    });
  });

  it('refuses what Docker refuses', () => {
    assert.throws(() => parseBind('/data:ro'), /invalid volume specification: '\/data:ro'/);
    assert.throws(() => parseBind('a:b:c:d'), /invalid volume specification/);
    assert.throws(() => parseBind('/a:/b:ro,rw'), /invalid mode: ro,rw/);
    assert.throws(() => parseBind('/a:/b:bogus'), /invalid mode: bogus/);
    assert.throws(() => parseBind('/a:/b:nocopy'), /invalid mode/);
    assert.throws(() => parseBind('/a:relative'), /mount path must be absolute/);
    assert.throws(() => parseBind('/a:/'), /destination can't be '\/'/);
    assert.throws(() => parseBind('bad$name:/x'), /includes invalid characters for a local volume name/);
  });
});

describe('parseMountSpec', () => {
  it('checks binds, volumes and tmpfs mounts as moby does', () => {
    assert.deepEqual(parseMountSpec({ Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }), {
      type: 'bind', source: '/h', destination: '/c', readOnly: true, mode: '', propagation: 'rprivate', createSource: false,
    });
    const volume = parseMountSpec({ Type: 'volume', Source: 'vol', Target: '/v', VolumeOptions: { NoCopy: true, Labels: { a: 'b' } } });
    assert.equal(volume.copyData, false);
    assert.deepEqual(volume.volumeLabels, { a: 'b' });
    assert.equal(parseMountSpec({ Type: 'volume', Target: '/anon' }).anonymous, true);
    assert.deepEqual(parseMountSpec({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1777 } }).tmpfsOptions, [
      'size=64m', 'mode=1777',
    ]);
    assert.deepEqual(parseMountSpec({ Type: 'tmpfs', Target: '/t', ReadOnly: true, TmpfsOptions: { SizeBytes: 1000 } }).tmpfsOptions, ['size=1000', 'ro']);
  });

  it('refuses fields of another type and missing ones', () => {
    assert.throws(() => parseMountSpec({ Type: 'bind', Target: '/c' }), /type "bind": field Source must not be empty/);
    assert.throws(() => parseMountSpec({ Type: 'bind', Source: 'rel', Target: '/c' }), /mount path must be absolute/);
    assert.throws(() => parseMountSpec({ Type: 'bind', Source: '/h', Target: '/c', VolumeOptions: {} }), /field VolumeOptions must not be specified/);
    assert.throws(() => parseMountSpec({ Type: 'tmpfs', Source: 'x', Target: '/c' }), /field Source must not be specified/);
    assert.throws(() => parseMountSpec({ Type: 'volume', Source: 'v', Target: '' }), /field Target must not be empty/);
    assert.throws(() => parseMountSpec({ Type: 'volume', Target: '/v', VolumeOptions: { DriverConfig: { Name: 'nfs' } } }), /only "local"/);
  });
});

describe('parseMounts', () => {
  it('adds anonymous volumes for Config.Volumes nothing else covers, and refuses duplicates', () => {
    const mounts = parseMounts({
      binds: ['/h:/data'],
      mounts: [{ Type: 'volume', Source: 'vol', Target: '/v' }],
      volumes: { '/data': {}, '/logs/': {} },
    });
    assert.deepEqual(mounts.map((m) => [m.type, m.destination, m.anonymous ?? false]), [
      ['bind', '/data', false],
      ['volume', '/v', false],
      ['volume', '/logs', true],
    ]);
    assert.throws(() => parseMounts({ binds: ['/a:/x', 'vol:/x/'] }), /Duplicate mount point: \/x/);
    assert.throws(() => parseMounts({ binds: ['/a:/x'], tmpfs: { '/x': '' } }), /Duplicate mount point: \/x/);
  });
});

describe('parseTmpfsOptions', () => {
  it('accepts mount flags and tmpfs data, refuses the rest', () => {
    assert.deepEqual(parseTmpfsOptions('rw,exec,size=64m,mode=1777'), ['rw', 'exec', 'size=64m', 'mode=1777']);
    assert.throws(() => parseTmpfsOptions('size=1m,bogus'), /invalid tmpfs option \["bogus"\]/);
  });
});
