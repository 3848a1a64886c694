// SPDX-License-Identifier: Apache-2.0
// Resource limits end to end with real runc: the limits a container sees in its own cgroup files (v1 or v2, as the
// host has them), an OOM kill reported as Docker does, a pids limit that stops forks, Docker's validation errors and
// warnings, stats, the docker CLI, and compose's mem_limit / deploy.resources.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiCall } from './support/api-call.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { dockerCli } from './support/docker-cli.js';

const MiB = 2 ** 20;

/**
 * Prints the container's limits as `key=value` lines from whichever files its cgroup version exposes: v2's
 * `memory.max`, `memory.swap.max`, `cpu.max`, `pids.max` (the container's own cgroup, in its cgroup namespace) or
 * v1's per-controller files.
 */
const READ_LIMITS = `
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  echo version=2
  echo memory=$(cat /sys/fs/cgroup/memory.max)
  echo swap=$(cat /sys/fs/cgroup/memory.swap.max)
  echo cpu=$(cat /sys/fs/cgroup/cpu.max)
  echo pids=$(cat /sys/fs/cgroup/pids.max)
else
  echo version=1
  echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
  echo memsw=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)
  echo cpu="$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"
  echo pids=$(cat /sys/fs/cgroup/pids/pids.max)
fi`;

interface Inspected {
  State: { ExitCode: number; OOMKilled: boolean };
  HostConfig: { Memory: number; MemorySwap: number; MemoryReservation: number; NanoCpus: number; PidsLimit: number | null; CpuShares: number };
}

describe('resource limits', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  const cli = async (args: string[]) => {
    const result = await engine.cli(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const inspect = async (id: string): Promise<Inspected> => (JSON.parse(await cli(['inspect', id])) as Inspected[])[0];

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('applies memory, swap, CPU and pids limits the container sees in its own cgroup', async () => {
    const out = await cli(['run', '--rm', '--network', 'none', '-m', '64m', '--cpus', '0.5', '--pids-limit', '10', busybox, 'sh', '-c', READ_LIMITS]);
    const seen = Object.fromEntries(out.trim().split('\n').map((line) => line.split('=') as [string, string]));
    if (seen.version === '2') {
      // v2 keeps swap apart from memory: Docker's default memory+swap of twice the memory is 64m of swap.
      assert.deepEqual(seen, { version: '2', memory: String(64 * MiB), swap: String(64 * MiB), cpu: '50000 100000', pids: '10' });
    } else {
      assert.deepEqual(seen, { version: '1', memory: String(64 * MiB), memsw: String(128 * MiB), cpu: '50000 100000', pids: '10' });
    }
  });

  it('shows the limits in inspect and stats', async () => {
    const id = (await cli(['run', '-d', '--network', 'none', '-m', '48m', '--memory-reservation', '16m', '-c', '512', '--pids-limit', '20', busybox, 'sleep', '60'])).trim();
    const { HostConfig } = await inspect(id);
    assert.deepEqual(
      [HostConfig.Memory, HostConfig.MemorySwap, HostConfig.MemoryReservation, HostConfig.CpuShares, HostConfig.PidsLimit, HostConfig.NanoCpus],
      [48 * MiB, 96 * MiB, 16 * MiB, 512, 20, 0],
    );
    const stats = JSON.parse((await apiCall(engine.socketPath, 'GET', `/containers/${id}/stats?stream=false&one-shot=true`)).body.toString()) as {
      memory_stats: { limit: number }; pids_stats: { limit?: number };
    };
    assert.equal(stats.memory_stats.limit, 48 * MiB);
    assert.equal(stats.pids_stats.limit, 20);
    assert.match(await cli(['stats', '--no-stream', id]), / \/ 48MiB /);
    // `update` raises the limits of the running container at once.
    await cli(['update', '-m', '80m', '--memory-swap', '160m', '--pids-limit', '30', id]);
    const seen = await cli(['exec', id, 'sh', '-c', READ_LIMITS]);
    assert.match(seen, new RegExp(`^memory=${80 * MiB}$`, 'm'));
    assert.match(seen, /^pids=30$/m);
    assert.match(await cli(['stats', '--no-stream', id]), / \/ 80MiB /);
    assert.equal((await inspect(id)).HostConfig.PidsLimit, 30);
    await cli(['rm', '-f', id]);
  });

  it('reports a container the kernel OOM-killed: exit 137, State.OOMKilled and an oom event', async () => {
    const since = Math.floor(Date.now() / 1000);
    const run = await engine.cli(['run', '--name', 'oom', '--network', 'none', '-m', '8m', '--memory-swap', '8m', busybox, 'sh', '-c', 'head -c 50m /dev/zero | tail']);
    assert.equal(run.code, 137, run.stderr);
    const { State } = await inspect('oom');
    assert.deepEqual([State.ExitCode, State.OOMKilled], [137, true]);
    const query = `since=${since}&until=${Math.floor(Date.now() / 1000) + 1}&filters=${encodeURIComponent('{"container":["oom"]}')}`;
    const events = (await apiCall(engine.socketPath, 'GET', `/events?${query}`)).body.toString().trim().split('\n');
    const actions = events.map((line) => (JSON.parse(line) as { Action: string }).Action);
    assert.deepEqual(actions.filter((a) => a === 'oom' || a === 'die'), ['oom', 'die']);
    // A container that ends by itself was not OOM-killed; a restart clears the flag, as Docker's does.
    await cli(['rm', 'oom']);
    await cli(['run', '--name', 'fine', '--network', 'none', '-m', '8m', busybox, 'true']);
    assert.equal((await inspect('fine')).State.OOMKilled, false);
    await cli(['rm', 'fine']);
  });

  it('stops a fork bomb at the pids limit', async () => {
    const limited = await engine.cli(['run', '--rm', '--network', 'none', '--pids-limit', '10', busybox, 'sh', '-c', 'for i in $(seq 50); do sleep 1 & done; wait']);
    assert.notEqual(limited.code, 0);
    assert.match(limited.stderr, /can't fork/);
    const free = await engine.cli(['run', '--rm', '--network', 'none', busybox, 'sh', '-c', 'for i in $(seq 50); do sleep 1 & done; wait']);
    assert.equal(free.code, 0, free.stderr);
  });

  it('refuses what Docker refuses, with its words, and warns of what it discards', async () => {
    const refused = async (args: string[], message: string) => {
      const result = await engine.cli(['create', '--network', 'none', ...args, busybox, 'true']);
      assert.equal(result.code, 125, result.stderr);
      assert.equal(result.stderr.trim(), `Error response from daemon: ${message}`);
    };
    await refused(['-m', '4m'], 'Minimum memory limit allowed is 6MB');
    await refused(['--cpus', '1', '--cpu-period', '10000'], 'Conflicting options: Nano CPUs and CPU Period cannot both be set');
    const cpus = availableParallelism();
    await refused(['--cpus', String(cpus + 1)], `Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
    await refused(['-m', '32m', '--memory-swap', '16m'], 'Minimum memoryswap limit should be larger than memory limit, see usage');
    const bad = await engine.cli(['create', '-m', 'lots', busybox]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid argument "lots" for "-m, --memory" flag: invalid size: 'lots'/);
    // Disabling the OOM killer without a memory limit is allowed but warned of on v1; v2 has no such switch.
    const warned = await engine.cli(['create', '--network', 'none', '--oom-kill-disable', busybox, 'true']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /^WARNING: (OOM killer is disabled for the container, but no memory limit is set|Your kernel does not support OomKillDisable)/m);
    await cli(['rm', warned.stdout.trim()]);
  });

  it('works from the docker CLI: run --memory --cpus, inspect, stats, update, errors and warnings', async () => {
    const cli = dockerCli(engine, setup.dir);
    const docker = (...args: string[]) => cli(args);
    const run = await docker('run', '-d', '--name', 'dockerlimits', '--network', 'none', '--memory', '32m', '--cpus', '0.5', '--pids-limit', '15', busybox, 'sleep', '60');
    assert.equal(run.code, 0, run.stderr);
    const format = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}';
    assert.equal((await docker('inspect', '-f', format, 'dockerlimits')).stdout.trim(), `${32 * MiB} ${64 * MiB} 500000000 15`);
    const stats = await docker('stats', '--no-stream', '--format', '{{.MemUsage}}', 'dockerlimits');
    assert.match(stats.stdout, / \/ 32MiB$/m, stats.stderr);
    // docker update changes the running container's cgroup at once, and what inspect shows.
    const update = await docker('update', '--memory', '48m', '--memory-swap', '96m', '--pids-limit', '25', 'dockerlimits');
    assert.equal(update.code, 0, update.stderr);
    const seen = (await docker('exec', 'dockerlimits', 'sh', '-c', READ_LIMITS)).stdout;
    assert.match(seen, new RegExp(`^memory=${48 * MiB}$`, 'm'));
    assert.match(seen, /^pids=25$/m);
    assert.equal((await docker('inspect', '-f', format, 'dockerlimits')).stdout.trim(), `${48 * MiB} ${96 * MiB} 500000000 25`);
    const conflict = await docker('update', '--cpu-quota', '20000', 'dockerlimits');
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /Cannot update container [0-9a-f]{64}: Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set/);
    const refused = await docker('run', '--rm', '--memory', '4m', busybox, 'true');
    assert.equal(refused.code, 125);
    assert.match(refused.stderr, /Error response from daemon: Minimum memory limit allowed is 6MB/);
    assert.equal((await docker('rm', '-f', 'dockerlimits')).code, 0);
    const warned = await docker('create', '--network', 'none', '--oom-kill-disable', busybox, 'true');
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /WARNING: (OOM killer is disabled|Your kernel does not support OomKillDisable)/);
    assert.equal((await docker('rm', warned.stdout.trim())).code, 0);
  });

  it('applies compose mem_limit, cpus, pids_limit and deploy.resources as docker compose does', async () => {
    const file = join(setup.dir, 'compose.yaml');
    await writeFile(file, [
      'services:',
      '  plain:',
      `    image: ${busybox}`,
      '    command: ["sleep", "60"]',
      '    network_mode: none',
      '    mem_limit: 48m',
      '    cpus: 0.5',
      '    pids_limit: 12',
      '  deployed:',
      `    image: ${busybox}`,
      '    command: ["sleep", "60"]',
      '    network_mode: none',
      '    mem_limit: 1g',
      '    deploy:',
      '      resources:',
      '        limits: { cpus: "0.25", memory: 40M, pids: 9 }',
      '        reservations: { memory: 20M }',
      '',
    ].join('\n'));
    const compose = (...args: string[]) => cli(['compose', '-f', file, '-p', 'limits', ...args]);
    try {
      await compose('up', '-d');
      const plain = await inspect('limits-plain-1');
      assert.deepEqual([plain.HostConfig.Memory, plain.HostConfig.NanoCpus, plain.HostConfig.PidsLimit], [48 * MiB, 5e8, 12]);
      const deployed = await inspect('limits-deployed-1');
      assert.deepEqual(
        [deployed.HostConfig.Memory, deployed.HostConfig.MemoryReservation, deployed.HostConfig.NanoCpus, deployed.HostConfig.PidsLimit],
        [40 * MiB, 20 * MiB, 2.5e8, 9],
      );
      const seen = await cli(['exec', 'limits-deployed-1', 'sh', '-c', READ_LIMITS]);
      assert.match(seen, new RegExp(`^memory=${40 * MiB}$`, 'm'));
      assert.match(seen, /^cpu=25000 100000$/m);
      assert.match(seen, /^pids=9$/m);
    } finally {
      await compose('down', '-t', '0');
    }
  });
});
