// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerSysctls, validateSysctls } from './sysctls.js';

describe('sysctls', () => {
  it('accepts only namespaced parameters, as docker does', () => {
    validateSysctls({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'kernel.sem': '1 2 3 4', 'fs.mqueue.msg_max': '20' }, 'private');
    assert.throws(() => validateSysctls({ 'kernel.hostname': 'x' }, 'private'), { code: 'invalid-argument', message: "sysctl 'kernel.hostname=x' is not allowed" });
    assert.throws(() => validateSysctls({ 'vm.swappiness': '1' }, 'private'), /is not allowed/);
  });

  it('refuses net.* in the host network namespace', () => {
    assert.throws(() => validateSysctls({ 'net.core.somaxconn': '1' }, 'host'), /sysctl "net.core.somaxconn" not allowed in host network namespace/);
    validateSysctls({ 'kernel.shmmax': '1' }, 'host');
  });

  it("adds Docker's defaults in a private network namespace, the user's winning", () => {
    const all = () => true;
    assert.deepEqual(containerSysctls(undefined, 'private', all), {
      'net.ipv4.ping_group_range': '0 2147483647',
      'net.ipv4.ip_unprivileged_port_start': '0',
    });
    assert.equal(containerSysctls({ 'net.ipv4.ip_unprivileged_port_start': '1024' }, 'private', all)?.['net.ipv4.ip_unprivileged_port_start'], '1024');
    assert.equal(containerSysctls(undefined, 'host', all), undefined);
    assert.deepEqual(containerSysctls({ 'kernel.shmmax': '1' }, 'joined', all), { 'kernel.shmmax': '1' });
    assert.deepEqual(containerSysctls(undefined, 'private', (name) => name !== 'net.ipv4.ping_group_range'), { 'net.ipv4.ip_unprivileged_port_start': '0' });
  });
});
