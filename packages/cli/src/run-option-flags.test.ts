// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runOptionsFromFlags } from './run-option-flags.js';

it('turns the run option flags into HostConfig fields, only those given', () => {
  assert.deepEqual(runOptionsFromFlags({}), {});
  assert.deepEqual(
    runOptionsFromFlags({
      ulimit: ['nofile=1024:2048', 'nproc=10', 'nofile=512'],
      'read-only': true,
      sysctl: ['net.ipv4.ip_forward=1', 'kernel.sem=250 32000 32 128'],
      dns: ['192.0.2.1'],
      'dns-search': ['example.com'],
      'dns-option': ['ndots:2'],
      'dns-opt': ['timeout:1'],
      'shm-size': '16m',
      device: ['/dev/zero:/dev/myzero:r'],
      'group-add': ['audio', '4242'],
    }),
    {
      // As docker's, a later --ulimit of the same name replaces the earlier.
      Ulimits: [{ Name: 'nofile', Soft: 512, Hard: 512 }, { Name: 'nproc', Soft: 10, Hard: 10 }],
      ReadonlyRootfs: true,
      Sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.sem': '250 32000 32 128' },
      Dns: ['192.0.2.1'],
      DnsSearch: ['example.com'],
      DnsOptions: ['ndots:2', 'timeout:1'],
      ShmSize: 16 * 1024 * 1024,
      Devices: [{ PathOnHost: '/dev/zero', PathInContainer: '/dev/myzero', CgroupPermissions: 'r' }],
      GroupAdd: ['audio', '4242'],
    },
  );
  assert.throws(() => runOptionsFromFlags({ sysctl: ['kernel.shmmax'] }), /sysctl 'kernel.shmmax' is not allowed/);
});
