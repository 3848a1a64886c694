// SPDX-License-Identifier: Apache-2.0
// What the engine's networking leaves on the host, to compare before and after, and to clean up after a test daemon.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The host's networking state the engine touches, each part as sorted lines. */
export interface HostNetworkSnapshot {
  veths: string[];
  netns: string[];
  mounts: string[];
  rules: string[];
}

/**
 * What one daemon's networking holds on the host: the veths on `bridges`, the namespaces and mounts under its exec
 * root, and the firewall rules mentioning any of `bridges` or `patterns` (a subnet, a CNI network name). Scoped,
 * because other engines on the machine change their own at the same time.
 */
export async function hostNetworkSnapshot(execRoot: string, scope: { bridges: string[]; patterns: string[] }): Promise<HostNetworkSnapshot> {
  const veths = await Promise.all(
    scope.bridges.map(async (bridge) => (JSON.parse((await run('ip', ['-j', 'link', 'show', 'master', bridge])).stdout) as { ifname: string }[]).map((l) => l.ifname)),
  );
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const needles = [...scope.bridges, ...scope.patterns];
  return {
    veths: veths.flat().sort(),
    netns: (await readdir(join(execRoot, 'netns')).catch(() => [])).sort(),
    mounts: mountinfo.split('\n').filter((line) => line.includes(execRoot)).map((line) => line.split(' ').slice(3, 5).join(' ')).sort(),
    rules: (await iptablesRules()).filter((rule) => needles.some((n) => rule.split(/[\s"]/).some((word) => word.includes(n)))),
  };
}

/** Every rule of the filter and nat tables, as `iptables -S` prints them. */
export async function iptablesRules(): Promise<string[]> {
  const tables = await Promise.all(['filter', 'nat'].map(async (t) => (await run('iptables', ['-w', '-t', t, '-S'])).stdout.split('\n').map((l) => `${t} ${l}`)));
  return tables.flat().filter((l) => l.trim().split(' ').length > 1).sort();
}

/** Removes the bridges of a (stopped) test daemon's networks and every rule naming them. */
export async function teardownEngineNetworks(dataRoot: string): Promise<void> {
  const dir = join(dataRoot, 'networks');
  const bridges: string[] = [];
  for (const file of await readdir(dir).catch(() => [])) {
    if (!file.endsWith('.json')) continue;
    const network = JSON.parse(await readFile(join(dir, file), 'utf8')) as { bridge?: string };
    if (network.bridge) bridges.push(network.bridge);
  }
  if (bridges.length === 0) return;
  for (const table of ['filter', 'nat']) {
    const rules = (await run('iptables', ['-w', '-t', table, '-S'])).stdout.split('\n');
    for (const rule of rules) {
      if (!rule.startsWith('-A ') || !bridges.some((b) => rule.split(' ').includes(b))) continue;
      await run('sh', ['-c', `iptables -w -t ${table} ${rule.replace(/^-A /, '-D ')}`]).catch(() => undefined);
    }
  }
  for (const bridge of bridges) await run('ip', ['link', 'del', bridge]).catch(() => undefined);
}
