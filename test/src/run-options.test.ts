// SPDX-License-Identifier: Apache-2.0
// `docker run`'s process and sandbox options end to end, on a real daemon with runc: ulimits (and the refusal to
// raise one), a read-only root, sysctls, DNS settings (with the embedded resolver forwarding to a --dns server on
// loopback), /dev/shm's size, devices and extra groups; through the engine's CLI, docker's CLI and compose.
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as dnsPacket from 'dns-packet';
import { dockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { runProcess, type ProcessResult } from './support/run-process.js';

/** A loopback address of the test's own, for the upstream DNS server the embedded resolver forwards to. */
const UPSTREAM = '127.0.0.77';
const UPSTREAM_ANSWER = '192.0.2.55';

/** A DNS server on UPSTREAM:53 answering every A question with UPSTREAM_ANSWER; loopback only. */
async function startUpstreamDns(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const answers: dnsPacket.Answer[] = question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 0, data: UPSTREAM_ANSWER }] : [];
    socket.send(dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: [question], answers }), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, UPSTREAM, () => resolve());
  });
  return socket;
}

async function hardLimit(name: string): Promise<number> {
  const line = (await readFile('/proc/self/limits', 'utf8')).split('\n').find((l) => l.startsWith(name));
  return Number(line!.trim().split(/\s{2,}/)[2]);
}

describe('docker run process and sandbox options', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;
  let upstream: Socket;

  const cli = async (...args: string[]): Promise<ProcessResult> => engine.cli(args);
  const run = (...args: string[]): Promise<string> => engine.cliOk(['run', '--rm', ...args]);
  const refused = async (pattern: RegExp, ...args: string[]): Promise<void> => {
    const result = await cli('run', '--rm', '--network', 'none', ...args, busybox, 'true');
    assert.notEqual(result.code, 0, `run ${args.join(' ')} should fail`);
    assert.match(result.stderr, pattern);
  };

  before(async () => {
    [setup, upstream] = await Promise.all([
      startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] }),
      startUpstreamDns(),
    ]);
    ({ engine, busybox } = setup);
  });

  after(async () => {
    upstream?.close();
    await setup?.stop();
  });

  it('sets ulimits, and refuses to raise a hard limit above the daemon\'s own', async () => {
    assert.equal(await run('--network', 'none', '--ulimit', 'nofile=1024:2048', busybox, 'sh', '-c', 'ulimit -n; ulimit -Hn'), '1024\n2048\n');
    // -1 is unlimited: allowed where the daemon's own hard limit is unlimited, as the core file size's is by default.
    if ((await readFile('/proc/self/limits', 'utf8')).match(/^Max core file size\s+\S+\s+unlimited/m)) {
      assert.equal(await run('--network', 'none', '--ulimit', 'core=-1', busybox, 'sh', '-c', 'ulimit -c; ulimit -Hc'), 'unlimited\nunlimited\n');
    }
    // The daemon inherited this process's limits.
    const max = await hardLimit('Max open files');
    await refused(new RegExp(`ulimit nofile: the hard limit ${max + 1} is above the daemon's own hard limit ${max}.*nofile=1024:${max}`), '--ulimit', `nofile=1024:${max + 1}`);
    await refused(/ulimit soft limit must be less than or equal to hard limit: 10 > 5/, '--ulimit', 'nofile=10:5');
    await refused(/invalid ulimit type: nothing/, '--ulimit', 'nothing=1');
  });

  it('makes the root and the generated files read-only, tmpfs and volumes stay writable', async () => {
    const out = await run('--network', 'none', '--read-only', '--tmpfs', '/scratch', '-v', 'ro-data:/data', busybox, 'sh', '-c',
      'echo x >> /etc/hosts 2>/dev/null; echo /etc/hosts=$?; for p in /x /tmp/x /scratch/a /data/b /dev/shm/c; do touch $p 2>/dev/null; echo $p=$?; done');
    assert.equal(out, '/etc/hosts=1\n/x=1\n/tmp/x=1\n/scratch/a=0\n/data/b=0\n/dev/shm/c=0\n');
    assert.equal(await run('--network', 'none', '--read-only', '-v', 'ro-data:/data', busybox, 'ls', '/data'), 'b\n');
    assert.equal((await cli('volume', 'rm', 'ro-data')).code, 0);
  });

  it("sets namespaced sysctls over Docker's defaults, and refuses others", async () => {
    const out = await run('--network', 'none', '--sysctl', 'net.ipv4.ip_unprivileged_port_start=1024', '--sysctl', 'kernel.shmmax=123456',
      busybox, 'cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start', '/proc/sys/kernel/shmmax', '/proc/sys/net/ipv4/ping_group_range');
    assert.deepEqual(out.split('\n').map((l) => l.trim()), ['1024', '123456', '0\t2147483647', '']);
    await refused(/sysctl 'kernel.hostname=evil' is not allowed/, '--sysctl', 'kernel.hostname=evil');
    const host = await cli('run', '--rm', '--network', 'host', '--sysctl', 'net.core.somaxconn=1', busybox, 'true');
    assert.match(host.stderr, /sysctl "net.core.somaxconn" not allowed in host network namespace/);
  });

  it('writes --dns, --dns-search and --dns-option into resolv.conf, and the embedded resolver forwards to --dns', async () => {
    const dnsFlags = ['--dns', UPSTREAM, '--dns-search', 'corp.example', '--dns-option', 'timeout:1'];
    assert.equal(
      await run('--network', 'none', '--dns', '192.0.2.1', '--dns-search', 'corp.example', '--dns-option', 'ndots:2', busybox, 'cat', '/etc/resolv.conf'),
      'nameserver 192.0.2.1\nsearch corp.example\noptions ndots:2\n',
    );
    assert.equal((await cli('network', 'create', 'dnsnet')).code, 0);
    try {
      const [network] = JSON.parse((await cli('network', 'inspect', 'dnsnet')).stdout) as { IPAM: { Config: { Gateway: string }[] } }[];
      const gateway = network.IPAM.Config[0].Gateway;
      const out = await run('--network', 'dnsnet', ...dnsFlags, busybox, 'sh', '-c', 'cat /etc/resolv.conf; nslookup -type=a anything');
      assert.match(out, new RegExp(`^nameserver ${gateway}\nsearch corp.example\noptions timeout:1 ndots:0\n`));
      // The short name goes out with the search domain, to the container's own upstream on the host's loopback.
      assert.match(out, new RegExp(`Name:\\s+anything\\.corp\\.example\\s+Address: ${UPSTREAM_ANSWER.replaceAll('.', '\\.')}`));
    } finally {
      await cli('network', 'rm', 'dnsnet');
    }
    await refused(/bad nameserver address dns.example/, '--dns', 'dns.example');
  });

  it('sizes /dev/shm, maps devices and adds groups', async () => {
    // --group-add's names are looked up in the container's own /etc/group, copied in before the start.
    const groupFile = join(setup.dir, 'group');
    await writeFile(groupFile, 'root:x:0:\nstaff:x:50:\n');
    const create = await cli('create', '--network', 'none', '--shm-size', '16m', '--device', '/dev/zero:/dev/myzero:rw',
      '--group-add', 'staff', '--group-add', '4242',
      busybox, 'sh', '-c', 'grep " /dev/shm " /proc/mounts; stat -c "%t:%T %F" /dev/myzero; head -c 5 /dev/myzero | wc -c; id -G');
    assert.equal(create.code, 0, create.stderr);
    const id = create.stdout.trim();
    try {
      assert.equal((await cli('cp', groupFile, `${id}:/etc/group`)).code, 0);
      const started = await cli('start', '-a', id);
      assert.equal(started.code, 0, started.stderr);
      const [shm, device, read, groups] = started.stdout.trim().split('\n');
      assert.match(shm, /size=16384k/);
      assert.equal(device, '1:5 character special file');
      assert.equal(read.trim(), '5');
      assert.deepEqual(groups.split(' ').sort(), ['0', '4242', '50']);
    } finally {
      await cli('rm', '-f', id);
    }
    assert.match(await run('--network', 'none', busybox, 'grep', ' /dev/shm ', '/proc/mounts'), /size=65536k/);
    await refused(/unable to find group nosuchgroup/, '--group-add', 'nosuchgroup');
    await refused(/error gathering device information while adding custom device "\/dev\/nope"/, '--device', '/dev/nope');
  });

  it("docker's CLI sends ulimits, --read-only and --shm-size", async () => {
    const out = await dockerCli(engine, setup.dir).ok(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=512:1024', '--read-only', '--shm-size', '8m', busybox,
      'sh', '-c', 'ulimit -n; ulimit -Hn; touch /x 2>/dev/null || echo read-only; grep " /dev/shm " /proc/mounts']);
    assert.match(out, /^512\n1024\nread-only\n.*size=8192k/);
  });

  it('compose passes ulimits, read_only, sysctls, dns, shm_size, devices, group_add, tty and security_opt', async () => {
    const project = join(setup.dir, 'options');
    await runProcess('mkdir', ['-p', project]);
    // A profile that allows everything but mkdir, read from the project directory as docker compose does.
    await writeFile(join(project, 'no-mkdir.json'), JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
    }));
    await writeFile(join(project, 'compose.yaml'), `services:
  box:
    image: ${busybox}
    command: ["sleep", "300"]
    network_mode: none
    tty: true
    stdin_open: true
    domainname: corp.example
    ulimits:
      nproc: 500
      nofile: { soft: 256, hard: 512 }
    read_only: true
    tmpfs: [/scratch]
    sysctls: [kernel.shmmax=654321]
    dns: 192.0.2.7
    dns_search: [svc.example]
    dns_opt: [ndots:3]
    shm_size: 4m
    devices: [/dev/zero:/dev/myzero]
    group_add: [4343]
    security_opt: [seccomp=no-mkdir.json]
`);
    const compose = (...args: string[]) => cli('compose', '-f', join(project, 'compose.yaml'), '-p', 'opts', ...args);
    const up = await compose('up', '-d');
    assert.equal(up.code, 0, up.stderr);
    assert.doesNotMatch(up.stderr, /not supported/);
    try {
      // The limits of the container's process: runc 1.1's exec gets the soft nofile wrong (opencontainers/runc#4195).
      const exec = await cli('exec', 'opts-box-1', 'sh', '-c',
        'awk \'/^Max (processes|open files)/ { print $(NF-2), $(NF-1) }\' /proc/1/limits; ' +
          'touch /x 2>/dev/null || echo read-only; touch /scratch/ok && echo scratch; ' +
          'cat /proc/sys/kernel/shmmax /etc/resolv.conf; grep " /dev/shm " /proc/mounts; ls /dev/myzero; id -G; ' +
          'mkdir /scratch/d 2>/dev/null || echo no-mkdir');
      assert.equal(exec.code, 0, exec.stderr);
      const lines = exec.stdout.replaceAll('\r', '').split('\n');
      assert.deepEqual(lines.slice(0, 8), ['500 500', '256 512', 'read-only', 'scratch', '654321', 'nameserver 192.0.2.7', 'search svc.example', 'options ndots:3']);
      assert.match(lines[8], /size=4096k/);
      assert.equal(lines[9], '/dev/myzero');
      assert.ok(lines[10].split(' ').includes('4343'), lines[10]);
      assert.equal(lines[11], 'no-mkdir');
      const inspect = JSON.parse((await cli('inspect', 'opts-box-1')).stdout) as { Config: { Tty: boolean; OpenStdin: boolean; Domainname: string } }[];
      assert.deepEqual([inspect[0].Config.Tty, inspect[0].Config.OpenStdin, inspect[0].Config.Domainname], [true, true, 'corp.example']);
    } finally {
      await compose('down', '-t', '0');
    }
  });
});
