// SPDX-License-Identifier: Apache-2.0
// Container networking end to end: the real CLI against a real daemon, busybox containers on real bridges with the
// CNI plugins, published ports reached from the host on 127.0.0.1, names resolved by the embedded DNS.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { freePort, httpdCommand, httpGet, serveText, udpEchoInNamespace, udpExchange } from './support/net-probe.js';
import { runProcess } from './support/run-process.js';

interface Endpoint {
  IPAddress: string;
  Gateway: string;
  MacAddress: string;
  Aliases: string[] | null;
}

interface Inspected {
  HostConfig: { NetworkMode: string };
  NetworkSettings: { SandboxKey: string; Ports: Record<string, { HostIp: string; HostPort: string }[] | null>; Networks: Record<string, Endpoint> };
}

describe('container networking', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  const cli = (...args: string[]) => engine.cliOk(args);
  const inspect = async (name: string) => (JSON.parse(await cli('inspect', name)) as Inspected[])[0];

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] });
    ({ engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('publishes a TCP port on 127.0.0.1 and shows it in port, inspect and ps', async () => {
    const port = await freePort();
    await cli('run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, busybox, ...httpdCommand('hello-from-web'));
    assert.equal(await httpGet(`http://127.0.0.1:${port}/index.html`), 'hello-from-web\n');

    assert.equal(await cli('port', 'web'), `80/tcp -> 127.0.0.1:${port}\n`);
    assert.equal(await cli('port', 'web', '80'), `127.0.0.1:${port}\n`);
    const web = await inspect('web');
    assert.equal(web.HostConfig.NetworkMode, 'bridge');
    assert.deepEqual(web.NetworkSettings.Ports, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
    const bridge = web.NetworkSettings.Networks.bridge;
    assert.match(bridge.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(bridge.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.match(await cli('ps'), new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp\\s+web`));
  });

  it('reaches a server on the bridge gateway from a container (outbound path)', async () => {
    const gateway = (JSON.parse(await cli('network', 'inspect', 'bridge')) as { IPAM: { Config: { Gateway: string }[] } }[])[0].IPAM.Config[0].Gateway;
    const { server, port } = await serveText(gateway, 'from-the-host');
    try {
      assert.equal(await cli('run', '--rm', busybox, 'wget', '-q', '-O', '-', `http://${gateway}:${port}/`), 'from-the-host');
    } finally {
      server.close();
    }
  });

  it('resolves containers by name and alias on a user network, also after one is recreated', async () => {
    await cli('network', 'create', '--subnet', '10.213.7.0/24', 'appnet');
    await cli('run', '-d', '--name', 'first', '--network', 'appnet', '--network-alias', 'db', busybox, ...httpdCommand('first-one'));
    const before = (await inspect('first')).NetworkSettings.Networks.appnet;
    assert.match(before.IPAddress, /^10\.213\.7\.\d+$/);
    assert.equal(before.Gateway, '10.213.7.1');
    assert.deepEqual(before.Aliases, ['db']);

    const fetch = (host: string) => cli('run', '--rm', '--network', 'appnet', busybox, 'sh', '-c', `for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://${host}/ && exit 0; sleep 0.3; done; exit 1`);
    assert.equal(await fetch('first'), 'first-one\n');
    assert.equal(await fetch('db'), 'first-one\n');

    await cli('rm', '-f', 'first');
    // Another container takes the next address first, so the recreated one surely gets a new one.
    await cli('run', '-d', '--name', 'filler', '--network', 'appnet', busybox, 'sleep', '300');
    await cli('run', '-d', '--name', 'first', '--network', 'appnet', busybox, ...httpdCommand('first-two'));
    const recreated = (await inspect('first')).NetworkSettings.Networks.appnet;
    assert.notEqual(recreated.IPAddress, before.IPAddress);
    assert.equal(await fetch('first'), 'first-two\n');
    await cli('rm', '-f', 'filler');
  });

  it('generates /etc/hosts, /etc/resolv.conf and /etc/hostname', async () => {
    const out = await cli('run', '--rm', '--network', 'appnet', '--hostname', 'box', busybox, 'sh', '-c', 'cat /etc/hostname; cat /etc/resolv.conf; cat /etc/hosts');
    assert.match(out, /^box\n/);
    assert.match(out, /nameserver 10\.213\.7\.1\n/);
    assert.match(out, /127\.0\.0\.1\tlocalhost/);
    assert.match(out, /10\.213\.7\.\d+\tbox\n/);
  });

  it('refuses to remove a network with endpoints, naming the containers', async () => {
    const result = await engine.cli(['network', 'rm', 'appnet']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /has active endpoints \(name:"first"/);
    const network = JSON.parse(await cli('network', 'inspect', 'appnet')) as { Containers: Record<string, { Name: string }> }[];
    assert.deepEqual(Object.values(network[0].Containers).map((c) => c.Name), ['first']);
  });

  it('publishes UDP ports', async () => {
    const port = await freePort();
    await cli('run', '-d', '--name', 'udp', '-p', `127.0.0.1:${port}:5353/udp`, busybox, 'sleep', '300');
    const echo = udpEchoInNamespace((await inspect('udp')).NetworkSettings.SandboxKey, 5353);
    try {
      assert.equal(await udpExchange('127.0.0.1', port, 'ping'), 'echo:ping');
    } finally {
      echo.kill();
    }
    await cli('rm', '-f', 'udp');
  });

  it('publishes exposed ports to random host ports with -P', async () => {
    await cli('run', '-d', '--name', 'random', '-P', '--expose', '80', busybox, ...httpdCommand('random-port'));
    const [binding] = (await inspect('random')).NetworkSettings.Ports['80/tcp'] ?? [];
    assert.ok(Number(binding.HostPort) > 1024, JSON.stringify(binding));
    assert.equal(await httpGet(`http://127.0.0.1:${binding.HostPort}/`), 'random-port\n');
    await cli('rm', '-f', 'random');
  });

  it('gives --network none only loopback, and --network host the host stack', async () => {
    const none = await cli('run', '--rm', '--network', 'none', busybox, 'sh', '-c', 'ls /sys/class/net');
    assert.deepEqual(none.split(/\s+/).filter(Boolean), ['lo']);
    const host = await cli('run', '--rm', '--network', 'host', busybox, 'sh', '-c', 'ls /sys/class/net');
    assert.ok(host.split(/\s+/).includes('eth0'), host);
  });

  it('keeps published ports and names across a daemon SIGKILL, and releases them once the container is gone', async () => {
    const port = Number((await inspect('web')).NetworkSettings.Ports['80/tcp']![0].HostPort);
    // This one exits while no daemon watches: the next daemon must release what it held.
    const shortPort = await freePort();
    await cli('run', '-d', '--name', 'short', '--network', 'appnet', '-p', `127.0.0.1:${shortPort}:80`, busybox, 'sleep', '1');
    const shortNetns = (await inspect('short')).NetworkSettings.SandboxKey;
    await engine.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await engine.launch();
    assert.equal(await httpGet(`http://127.0.0.1:${port}/index.html`), 'hello-from-web\n');
    assert.equal(await cli('run', '--rm', '--network', 'appnet', busybox, 'wget', '-q', '-O', '-', 'http://first/'), 'first-two\n');

    const short = await inspect('short');
    assert.equal(short.NetworkSettings.SandboxKey, '');
    assert.equal(short.NetworkSettings.Networks.appnet.IPAddress, '');
    assert.equal(await stat(shortNetns).catch(() => undefined), undefined, 'its namespace is gone');
    // Its host port is free again: another container publishes it.
    await cli('run', '-d', '--name', 'taker', '-p', `127.0.0.1:${shortPort}:80`, busybox, ...httpdCommand('taken'));
    assert.equal(await httpGet(`http://127.0.0.1:${shortPort}/`), 'taken\n');
    await cli('rm', '-f', 'short', 'taker');

    await cli('rm', '-f', 'web', 'first');
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/index.html`, 500));
    const { Id: removedId } = (JSON.parse(await cli('network', 'inspect', 'appnet')) as { Id: string }[])[0];
    await cli('network', 'rm', 'appnet');
    assert.doesNotMatch(await cli('network', 'ls'), /appnet/);
    const removedBridge = `tsc-${removedId.slice(0, 11)}`;
    const rules = (await runProcess('iptables-save', [])).stdout.split('\n');
    assert.deepEqual(rules.filter((rule) => rule.includes(removedBridge) || rule.includes('10.213.7.0/24')), [], 'its rules are gone when the removal answers');
    // Its bridge may still be going when the removal answers: a network made at once with its name and subnet
    // waits for it, and works.
    await cli('network', 'create', '--subnet', '10.213.7.0/24', 'appnet');
    assert.equal(await stat(`/sys/class/net/${removedBridge}`).catch(() => undefined), undefined, 'the old bridge is gone');
    assert.match(await cli('run', '--rm', '--network', 'appnet', busybox, 'ip', '-4', '-o', 'addr', 'show', 'eth0'), /inet 10\.213\.7\.2\//);
    await cli('network', 'rm', 'appnet');
  });
});
