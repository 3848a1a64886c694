// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerDevices, validateDeviceMappings } from './container-devices.js';

describe('container devices', () => {
  it('maps a host device node to a node and an allow rule', async () => {
    const { devices, rules } = await containerDevices([{ PathOnHost: '/dev/zero', PathInContainer: '/dev/myzero', CgroupPermissions: 'rw' }]);
    assert.deepEqual(devices, [{ path: '/dev/myzero', type: 'c', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 }]);
    assert.deepEqual(rules, [{ allow: true, type: 'c', major: 1, minor: 5, access: 'rw' }]);
  });

  it('keeps the host path and all permissions by default', async () => {
    const { devices, rules } = await containerDevices([{ PathOnHost: '/dev/null' }]);
    assert.equal(devices[0].path, '/dev/null');
    assert.equal(rules[0].access, 'rwm');
  });

  it('refuses what is not a device, with moby\'s words', async () => {
    await assert.rejects(containerDevices([{ PathOnHost: '/etc/hostname' }]), /error gathering device information while adding custom device "\/etc\/hostname": not a device node/);
    await assert.rejects(containerDevices([{ PathOnHost: '/dev/nope' }]), /"\/dev\/nope": no such file or directory/);
  });

  it('checks modes and paths at create', () => {
    assert.throws(() => validateDeviceMappings([{ PathOnHost: '/dev/zero', CgroupPermissions: 'rx' }]), /bad mode specified: rx/);
    assert.throws(() => validateDeviceMappings([{ PathOnHost: 'dev/zero' }]), /must be absolute/);
    validateDeviceMappings([{ PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'r' }]);
  });
});
