#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Times only what the bridge network adds to a container's start and exit, with the engine's own code and no
// container: make the namespace, plug a veth into a bridge (CNI bridge plugin, static IPAM), and undo both. Prints
// one JSON line per phase (see latency-stats.mjs). Run as root; uses the bridge tscbench1 on 10.213.250.0/24.
//
//   node bench/network-attach.mjs [--runs 30] [--warmup 3]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniBridgeDriver } from '../packages/core/lib/network/cni-bridge-driver.js';
import { NetworkNamespaces } from '../packages/core/lib/network/network-namespace.js';
import { parseBenchArgs, sample, summarize } from './latency-stats.mjs';

const options = parseBenchArgs(process.argv.slice(2), {});
const network = {
  id: 'bench'.padEnd(64, '0'), name: 'bench', driver: 'bridge', created: '', predefined: false, internal: true,
  bridge: 'tscbench1', subnet: '10.213.250.0/24', gateway: '10.213.250.1', labels: {}, options: {},
};
const dir = await mkdtemp(join(tmpdir(), 'tsc-bench-netns-'));
const namespaces = new NetworkNamespaces(dir);
const driver = new CniBridgeDriver();
await driver.setUp(network);
const phases = { attach: [], detach: [] };
try {
  const total = await sample(async (i) => {
    const id = `bench${i}`;
    let started = process.hrtime.bigint();
    const netnsPath = await namespaces.create(id);
    const request = { containerId: id, network, netnsPath, ifname: 'eth0', address: '10.213.250.2', defaultRoute: true, ports: [] };
    const attached = await driver.attach(request);
    phases.attach.push(Number(process.hrtime.bigint() - started) / 1e6);
    started = process.hrtime.bigint();
    await driver.detach(request, attached);
    await namespaces.delete(id);
    phases.detach.push(Number(process.hrtime.bigint() - started) / 1e6);
  }, options);
  for (const [phase, times] of Object.entries(phases)) {
    console.log(JSON.stringify({ key: phase, name: phase, ...summarize(times.slice(options.warmup)) }));
  }
  console.log(JSON.stringify({ key: 'total', name: 'attach+detach', ...summarize(total) }));
} finally {
  await driver.tearDown(network);
  await rm(dir, { recursive: true, force: true });
}
