// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeviceMapping, parseRestartPolicy, parseUlimit } from './run-option-values.js';

describe('run option values', () => {
  it('parses ulimits as go-units does', () => {
    assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Soft: 1024, Hard: 2048 });
    assert.deepEqual(parseUlimit('core=-1'), { Name: 'core', Soft: -1, Hard: -1 });
    assert.throws(() => parseUlimit('nofile'), /invalid ulimit argument: nofile/);
    assert.throws(() => parseUlimit('nofile=1:2:3'), /too many limit value arguments - 1:2:3/);
    assert.throws(() => parseUlimit('nofile=lots'), /invalid ulimit value: lots/);
  });

  it("parses devices as docker's CLI does", () => {
    assert.deepEqual(parseDeviceMapping('/dev/fuse'), { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' });
    assert.deepEqual(parseDeviceMapping('/dev/zero:/dev/myzero'), { PathOnHost: '/dev/zero', PathInContainer: '/dev/myzero', CgroupPermissions: 'rwm' });
    assert.deepEqual(parseDeviceMapping('/dev/zero:r'), { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'r' });
    assert.deepEqual(parseDeviceMapping('/dev/zero:/dev/z:rw'), { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'rw' });
    assert.throws(() => parseDeviceMapping('/a:/b:rw:x'), /invalid device specification/);
  });

  it("parses restart policies as docker's CLI does, rejecting a retry count that is not a whole number", () => {
    assert.deepEqual(parseRestartPolicy('always'), { Name: 'always', MaximumRetryCount: undefined });
    assert.deepEqual(parseRestartPolicy('on-failure:3'), { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.throws(() => parseRestartPolicy('on-failure:x'), /^InvalidArgumentError: invalid restart policy format: 'on-failure:x'$/);
    assert.throws(() => parseRestartPolicy('on-failure:1.5'), /invalid restart policy format/);
    assert.throws(() => parseRestartPolicy('on-failure:1:2'), /invalid restart policy format/);
  });
});
