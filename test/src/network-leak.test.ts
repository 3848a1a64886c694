// SPDX-License-Identifier: Apache-2.0
// The networking leak test: 100 create/start/rm cycles of containers with a published port on a small user network
// leave the host as they found it — no veths, namespaces, mounts, firewall rules or IPAM leases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpEngineClient } from '@tsc-engine/core/client';
import { EngineDaemon } from './support/engine-daemon.js';
import { startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { hostNetworkSnapshot } from './support/host-network.js';
import { ensurePackages } from './support/system-packages.js';

const CYCLES = 100;

describe('networking leaks nothing', () => {
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let client: HttpEngineClient;
  let busybox: string;

  before(async () => {
    await ensurePackages('runc', 'conmon', 'containernetworking-plugins', 'iptables');
    registry = await startFixtureRegistry();
    engine = await EngineDaemon.start();
    busybox = `${registry.host}/fixtures/busybox`;
    const pull = await engine.cli(['pull', busybox]);
    assert.equal(pull.code, 0, pull.stderr);
    client = new HttpEngineClient({ socketPath: engine.socketPath });
  });

  after(async () => {
    client?.close();
    await engine?.stop();
    await registry?.stop();
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
    assert.deepEqual(await hostNetworkSnapshot(engine.execRoot, scope), before);
    const network = await client.inspectNetwork('leaknet');
    assert.deepEqual(network.Containers, {});
    await client.removeNetwork('leaknet');
  });
});
