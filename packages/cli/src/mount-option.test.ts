// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramInBytes } from '@tsc-engine/core/client';
import { mountRequestFields, parseMountOption } from './mount-option.js';

describe('parseMountOption', () => {
  it('reads each type with its options, as docker does', () => {
    assert.deepEqual(parseMountOption('type=bind,source=/h,target=/c,readonly,bind-propagation=rslave'), {
      Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true, BindOptions: { Propagation: 'rslave' },
    });
    assert.deepEqual(parseMountOption('src=data,dst=/data,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs,ro=false'), {
      Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false,
      VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Options: { type: 'tmpfs' } } },
    });
    assert.deepEqual(parseMountOption('type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1777'), {
      Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1777 },
    });
    assert.deepEqual(parseMountOption('"volume-opt=o=addr=1,rw",target=/q').VolumeOptions, { DriverConfig: { Options: { o: 'addr=1,rw' } } });
  });

  it('refuses what docker refuses', () => {
    assert.throws(() => parseMountOption('type=bind,source=/h'), /target is required/);
    assert.throws(() => parseMountOption('type=nfs,target=/x'), /invalid mount type 'nfs'/);
    assert.throws(() => parseMountOption('target=/x,colour=red'), /unexpected key 'colour'/);
    assert.throws(() => parseMountOption('target'), /must be a key=value pair/);
    assert.throws(() => parseMountOption('type=bind,source=/h,target=/c,volume-nocopy'), /cannot mix 'volume-\*' options with mount type 'bind'/);
    assert.throws(() => parseMountOption('type=tmpfs,target=/t,tmpfs-mode=999'), /invalid value for tmpfs-mode/);
  });
});

describe('mountRequestFields', () => {
  it('sends -v binds as Binds, lone -v paths as Volumes, --tmpfs as the Tmpfs map', () => {
    assert.deepEqual(mountRequestFields({ volume: ['/h:/c:ro', 'name:/n', '/anon'], tmpfs: ['/run', '/t:size=1m,exec'] }), {
      binds: ['/h:/c:ro', 'name:/n'],
      volumes: { '/anon': {} },
      tmpfs: { '/run': '', '/t': 'size=1m,exec' },
    });
    assert.deepEqual(mountRequestFields({}), {});
  });
});

describe('ramInBytes', () => {
  it('reads binary units as docker does', () => {
    assert.equal(ramInBytes('1024'), 1024);
    assert.equal(ramInBytes('512k'), 512 * 1024);
    assert.equal(ramInBytes('1.5GiB'), 1.5 * 2 ** 30);
    assert.throws(() => ramInBytes('lots'), /invalid size/);
  });
});
