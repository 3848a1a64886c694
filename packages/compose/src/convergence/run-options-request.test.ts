// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { serviceRunOptions } from './run-options-request.js';

const project = (workingDir: string): ComposeProject => ({
  name: 'p', workingDir, composeFiles: [], services: {}, disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {},
});

test('maps the process and sandbox keys to the Docker API, sending only those set', async () => {
  assert.deepEqual(await serviceRunOptions(project('/app'), { image: 'x' }), { config: {}, hostConfig: {} });
  const service: ServiceConfig = {
    image: 'x',
    tty: true,
    stdin_open: true,
    domainname: 'corp.example',
    ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } },
    read_only: true,
    sysctls: { 'net.core.somaxconn': 1024, 'kernel.shmmax': '1' },
    dns: ['192.0.2.1'],
    dns_search: ['example.com'],
    dns_opt: ['ndots:2'],
    shm_size: '64m',
    devices: ['/dev/fuse', { source: '/dev/zero', target: '/dev/z', permissions: 'r' }],
    group_add: ['audio', 4242],
    security_opt: ['no-new-privileges', 'seccomp=unconfined'],
  };
  assert.deepEqual(await serviceRunOptions(project('/app'), service), {
    config: { Tty: true, OpenStdin: true, Domainname: 'corp.example' },
    hostConfig: {
      Ulimits: [{ Name: 'nproc', Soft: 65535, Hard: 65535 }, { Name: 'nofile', Soft: 20000, Hard: 40000 }],
      ReadonlyRootfs: true,
      Sysctls: { 'net.core.somaxconn': '1024', 'kernel.shmmax': '1' },
      Dns: ['192.0.2.1'],
      DnsSearch: ['example.com'],
      DnsOptions: ['ndots:2'],
      ShmSize: 64 * 1024 * 1024,
      Devices: [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'r' },
      ],
      GroupAdd: ['audio', '4242'],
      SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'],
    },
  });
});

test('reads a seccomp profile relative to the project directory and sends it as compact JSON', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'run-options-'));
  try {
    await writeFile(join(dir, 'profile.json'), '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n');
    const { hostConfig } = await serviceRunOptions(project(dir), { image: 'x', security_opt: ['seccomp=profile.json'] });
    assert.deepEqual(hostConfig.SecurityOpt, ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']);
    await assert.rejects(serviceRunOptions(project(dir), { image: 'x', security_opt: ['seccomp=missing.json'] }), /opening seccomp profile \(missing.json\) failed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sends pid as PidMode, a service:x naming x\'s first container as a one-off container finds it', async () => {
  const withTarget = { ...project('/app'), services: { target: { image: 'x' } } };
  const pidMode = async (pid: string | null) => (await serviceRunOptions(withTarget, { image: 'x', pid })).hostConfig.PidMode;
  assert.equal(await pidMode('host'), 'host');
  assert.equal(await pidMode('container:abc'), 'container:abc');
  assert.equal(await pidMode('service:target'), 'container:p-target-1');
  assert.equal(await pidMode(null), undefined);
});
