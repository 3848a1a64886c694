// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { renderTable, type ContainerStats } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { binarySize, humanSize } from '../format/human-size.js';
import { shortId } from '../format/table.js';

export default class Stats extends EngineCommand {
  static override summary = "Display containers' resource usage (one sample with --no-stream)";
  static override flags = {
    stream: Flags.boolean({ default: true, allowNo: true, description: 'keep refreshing (--no-stream: print one sample and exit)' }),
  };
  static override args = { container: Args.string({ description: 'container names or ids (default: all running)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Stats);
    const client = await this.connect(flags);
    let containers = argv as string[];
    if (containers.length === 0) containers = (await client.listContainers()).map((c) => c.Id);
    const latest = new Map<string, ContainerStats>();
    const render = () => {
      const rows = [...latest.values()].map(statsRow);
      const table = renderTable([['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'], ...rows]);
      // Redraw in place, as docker does, when following.
      process.stdout.write(flags.stream ? `\x1b[2J\x1b[H${table}` : table);
    };
    const streams = containers.map(async (container) => {
      for await (const sample of client.containerStats(container, { stream: flags.stream })) {
        latest.set(container, sample);
        if (flags.stream) render();
      }
    });
    await Promise.all(streams);
    if (!flags.stream) render();
  }
}

/** The columns docker's CLI computes (`cli/command/container/stats_helpers.go`). */
function statsRow(s: ContainerStats): string[] {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const cpu = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = s.memory_stats;
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  const used = (memory.usage ?? 0) - (inactive < (memory.usage ?? 0) ? inactive : 0);
  const limit = memory.limit ?? 0;
  const networks = Object.values(s.networks ?? {});
  const rx = networks.reduce((sum, n) => sum + n.rx_bytes, 0);
  const tx = networks.reduce((sum, n) => sum + n.tx_bytes, 0);
  const io = (op: string) => (s.blkio_stats.io_service_bytes_recursive ?? []).filter((e) => e.op.toLowerCase() === op).reduce((sum, e) => sum + e.value, 0);
  return [
    shortId(s.id ?? ''),
    (s.name ?? '').replace(/^\//, ''),
    `${cpu.toFixed(2)}%`,
    `${binarySize(used)} / ${binarySize(limit)}`,
    `${(limit > 0 ? (used / limit) * 100 : 0).toFixed(2)}%`,
    `${humanSize(rx)} / ${humanSize(tx)}`,
    `${humanSize(io('read'))} / ${humanSize(io('write'))}`,
    String(s.pids_stats.current ?? 0),
  ];
}
