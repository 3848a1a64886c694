// SPDX-License-Identifier: Apache-2.0
// The networking leak test: 100 create/start/rm cycles of containers with a published port on a small user network
// leave the host as they found it — no veths, namespaces, mounts, firewall rules or IPAM leases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { HttpEngineClient } from '@tsc-engine/core/client';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { hostNetworkSnapshot } from './support/host-network.js';

const CYCLES = 100;

describe('networking leaks nothing', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let client: HttpEngineClient;
  let busybox: string;

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] });
    ({ engine, busybox } = setup);
    client = new HttpEngineClient({ socketPath: engine.socketPath });
  });

  after(async () => {
    client?.close();
    await setup?.stop();
  });

  it(`leaves no veth, netns, mount, rule or lease after ${CYCLES} create/start/rm cycles`, async () => {
    // 13 usable addresses: a single leaked lease per cycle would exhaust the subnet long before the end.
    const { Id: networkId } = await client.createNetwork({ Name: 'leaknet', IPAM: { Config: [{ Subnet: '10.213.9.0/28' }] } });
    // The engine names a user network's bridge after its id, as Docker's `br-<id>`.
    const scope = { bridges: [`tsc-${networkId.slice(0, 11)}`], patterns: ['10.213.9.', `tsc-engine-${networkId.slice(0, 12)}`] };
    const cycle = async (whileRunning?: () => Promise<void>) => {
      const { Id } = await client.createContainer({
        Image: busybox,
        Cmd: ['sleep', '300'],
        HostConfig: { NetworkMode: 'leaknet', PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      });
      await client.startContainer(Id);
      await whileRunning?.();
      await client.removeContainer(Id, { force: true });
    };
    // The first port mapping makes portmap's shared chains, which stay (as Docker's DOCKER chain does).
    await cycle(async () => {
      // The snapshot sees what a running container holds, so an empty difference below means something.
      const running = await hostNetworkSnapshot(engine.execRoot, scope);
      assert.equal(running.veths.length, 1);
      assert.equal(running.netns.length, 1);
      assert.ok(running.rules.some((rule) => rule.includes('DNAT')), running.rules.join('\n'));
    });
    const before = await hostNetworkSnapshot(engine.execRoot, scope);
    for (let i = 0; i < CYCLES; i++) await cycle();
    // What the cycles added (counted, so a rule made twice shows); another engine on the host may take its own away.
    // A removal answers before its container's veth, namespace and rootfs are gone: the last one's may take a
    // moment more.
    const kinds = ['veths', 'netns', 'mounts', 'rules'] as const;
    let after = await hostNetworkSnapshot(engine.execRoot, scope);
    for (let wait = 0; wait < 50 && kinds.some((k) => added(before[k], after[k]).length > 0); wait++) {
      await delay(100);
      after = await hostNetworkSnapshot(engine.execRoot, scope);
    }
    function added(was: string[], now: string[]): string[] {
      const left = [...was];
      return now.filter((item) => {
        const at = left.indexOf(item);
        if (at < 0) return true;
        left.splice(at, 1);
        return false;
      });
    }
    assert.deepEqual(Object.fromEntries(kinds.map((k) => [k, added(before[k], after[k])])), Object.fromEntries(kinds.map((k) => [k, []])));
    const network = await client.inspectNetwork('leaknet');
    assert.deepEqual(network.Containers, {});
    await client.removeNetwork('leaknet');
  });
});
