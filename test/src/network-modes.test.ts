// SPDX-License-Identifier: Apache-2.0
// Isolation between bridge networks, `--network container:x` (and compose's `network_mode: service:x`), and the
// embedded DNS given to a default-bridge container on `network connect`: the real CLI against a real daemon, with
// busybox containers on real bridges. All traffic stays on the engine's bridges and inside its namespaces.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiCall } from './support/api-call.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { iptablesRules } from './support/host-network.js';
import { httpdCommand } from './support/net-probe.js';
import { runProcess } from './support/run-process.js';

interface Inspected {
  Id: string;
  Config: { Hostname: string };
  State: { Running: boolean };
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

interface NetworkInspected {
  Id: string;
  IPAM: { Config: { Subnet: string; Gateway: string }[] };
}

/** A shell loop that GETs `url` until it answers (servers take a moment to bind), failing after ~5 s. */
const fetchLoop = (url: string) => `for i in $(seq 1 25); do timeout 1 wget -q -O - ${url} && exit 0; sleep 0.2; done; exit 1`;

/** One GET given 2 s (busybox 1.35's `wget -T` crashes, hence `timeout`). */
const fetchOnce = (url: string) => ['timeout', '2', 'wget', '-q', '-O', '-', url];

/** Packets the isolation dropped on their way out through `bridge`. */
async function droppedTowards(bridge: string): Promise<number> {
  const { stdout } = await runProcess('iptables', ['-w', '-L', 'TSC-ISOLATION-STAGE-2', '-v', '-n', '-x']);
  const line = stdout.split('\n').find((l) => l.split(/\s+/).includes(bridge) && l.includes('DROP'));
  return Number(line?.trim().split(/\s+/)[0] ?? 0);
}

describe('network modes', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  const cli = (...args: string[]) => engine.cliOk(args);
  const fails = async (pattern: RegExp, ...args: string[]) => {
    const result = await engine.cli(args);
    assert.notEqual(result.code, 0, `${args.join(' ')} should fail: ${result.stdout}`);
    assert.match(result.stderr, pattern);
  };
  const inspect = async (name: string) => (JSON.parse(await cli('inspect', name)) as Inspected[])[0];
  const inspectNetwork = async (name: string) => (JSON.parse(await cli('network', 'inspect', name)) as NetworkInspected[])[0];

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] });
    ({ engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('isolates user networks from each other, lets a container on both reach both, and leaves no rules behind', async () => {
    const rulesBefore = await iptablesRules();
    await cli('network', 'create', 'iso-a');
    await cli('network', 'create', 'iso-b');
    const [a, b] = await Promise.all([inspectNetwork('iso-a'), inspectNetwork('iso-b')]);
    const bridges = [a, b].map((n) => `tsc-${n.Id.slice(0, 11)}`);
    // Every rule of a network names its bridge; its subnet alone could be another engine's on this host.
    const ours = (rules: string[]) => rules.filter((rule) => bridges.some((bridge) => rule.split(/\s/).includes(bridge)));

    await cli('run', '-d', '--name', 'on-a', '--network', 'iso-a', busybox, ...httpdCommand('from-a'));
    await cli('run', '-d', '--name', 'on-b', '--network', 'iso-b', busybox, ...httpdCommand('from-b'));
    await cli('run', '-d', '--name', 'on-both', '--network', 'iso-a', busybox, 'sleep', '300');
    await cli('network', 'connect', 'iso-b', 'on-both');
    const addressOf = async (name: string, network: string) => (await inspect(name)).NetworkSettings.Networks[network].IPAddress;
    const [addressA, addressB] = await Promise.all([addressOf('on-a', 'iso-a'), addressOf('on-b', 'iso-b')]);

    // The container on both networks reaches both, which also shows both servers are up.
    assert.equal(await cli('exec', 'on-both', 'sh', '-c', fetchLoop(`http://${addressA}/`)), 'from-a\n');
    assert.equal(await cli('exec', 'on-both', 'sh', '-c', fetchLoop(`http://${addressB}/`)), 'from-b\n');
    // Across networks nothing passes, either way, neither TCP nor ICMP.
    for (const [from, to] of [['on-a', addressB], ['on-b', addressA]]) {
      assert.notEqual((await engine.cli(['exec', from, ...fetchOnce(`http://${to}/`)])).code, 0, `${from} reached ${to}`);
      assert.notEqual((await engine.cli(['exec', from, 'ping', '-c', '1', '-W', '1', to])).code, 0, `${from} pinged ${to}`);
    }
    // And it is the isolation that stopped them: each network's drop rule counted packets.
    for (const bridge of bridges) assert.ok((await droppedTowards(bridge)) > 0, `nothing dropped towards ${bridge}`);

    // A restarted daemon sets the rules up again without adding a second copy.
    const rulesRunning = ours(await iptablesRules());
    assert.ok(rulesRunning.some((r) => r.includes(`-A TSC-ISOLATION-STAGE-1 -i ${bridges[0]} ! -o ${bridges[0]}`)), rulesRunning.join('\n'));
    assert.ok(rulesRunning.some((r) => r.includes(`-A TSC-ISOLATION-STAGE-2 -o ${bridges[1]}`)), rulesRunning.join('\n'));
    await engine.kill();
    await engine.launch();
    await cli('network', 'ls');
    assert.deepEqual(ours(await iptablesRules()), rulesRunning);
    assert.equal((await iptablesRules()).filter((r) => /^filter -A FORWARD .*-j TSC-ISOLATION-STAGE-1$/.test(r)).length, 1);
    assert.notEqual((await engine.cli(['exec', 'on-a', ...fetchOnce(`http://${addressB}/`)])).code, 0);

    await cli('rm', '-f', 'on-a', 'on-b', 'on-both');
    await cli('network', 'rm', 'iso-a', 'iso-b');
    assert.deepEqual(ours(await iptablesRules()), ours(rulesBefore));
  });

  it('runs a container in the network namespace of another with --network container:x', async () => {
    await cli('run', '-d', '--name', 'ns-a', busybox, ...httpdCommand('joined', '127.0.0.1:'));
    const a = await inspect('ns-a');
    // Its loopback is the other's: the server listens on 127.0.0.1 only.
    assert.equal(await cli('run', '--rm', '--network', 'container:ns-a', busybox, 'sh', '-c', fetchLoop('http://127.0.0.1/')), 'joined\n');

    await cli('run', '-d', '--name', 'ns-b', '--network', `container:${a.Id.slice(0, 12)}`, busybox, 'sleep', '300');
    const b = await inspect('ns-b');
    assert.equal(b.HostConfig.NetworkMode, `container:${a.Id}`);
    assert.deepEqual(b.NetworkSettings.Networks, {});
    assert.equal(b.Config.Hostname, a.Config.Hostname);
    const files = 'hostname; echo $HOSTNAME; cat /etc/hostname /etc/hosts /etc/resolv.conf';
    assert.equal(await cli('exec', 'ns-b', 'sh', '-c', files), await cli('exec', 'ns-a', 'sh', '-c', files));

    await fails(/conflicting options: port publishing and the container type network mode/, 'create', '--network', 'container:ns-a', '-p', '8080:80', busybox);
    await fails(/conflicting options: hostname and the network mode/, 'create', '--network', 'container:ns-a', '--hostname', 'x', busybox);
    await fails(/cannot be connected to any other network/, 'network', 'connect', 'bridge', 'ns-b');
    await cli('create', '--name', 'ns-idle', busybox, 'true');
    await fails(/cannot join network namespace of a non running container: container ns-idle is created/, 'run', '--rm', '--network', 'container:ns-idle', busybox, 'true');
    // As moby, create leaves a container that does not exist to the start, which fails with a 500, not a 400:
    // unlike `--pid container:x`, nothing checked it at create (moby's getNetworkedContainer masks it as a system error).
    await cli('create', '--name', 'ns-orphan', '--network', 'container:ns-nowhere', busybox, 'true');
    const orphan = await apiCall(engine.socketPath, 'POST', '/containers/ns-orphan/start');
    assert.equal(orphan.res.statusCode, 500);
    assert.equal((JSON.parse(orphan.body.toString()) as { message: string }).message, 'joining network namespace of container: No such container: ns-nowhere');

    // As with Docker, the container joined can go: the other keeps running, in a namespace left with loopback only.
    await cli('rm', '-f', 'ns-a', 'ns-idle', 'ns-orphan');
    assert.equal((await inspect('ns-b')).State.Running, true);
    const interfaces = (await cli('exec', 'ns-b', 'cat', '/proc/net/dev')).split('\n').slice(2).map((line) => line.split(':')[0].trim()).filter(Boolean);
    assert.deepEqual(interfaces, ['lo']);
    await cli('rm', '-f', 'ns-b');
  });

  it('maps compose network_mode service:x to the namespace of x, starting x first, and follows x when it is recreated', async () => {
    const file = join(setup.dir, 'compose.yaml');
    /** probe joins web's namespace; `text` is what web answers, so changing it recreates web. */
    const writeProject = (text: string) =>
      writeFile(
        file,
        [
          'services:',
          '  probe:',
          `    image: ${busybox}`,
          '    network_mode: "service:web"',
          '    command: ["sleep", "300"]',
          '    stop_grace_period: 0s',
          '  web:',
          `    image: ${busybox}`,
          `    command: ${JSON.stringify(httpdCommand(text, '127.0.0.1:'))}`,
          '    stop_grace_period: 0s',
          '',
        ].join('\n'),
      );
    const compose = (...args: string[]) => cli('compose', '-f', file, '-p', 'netmodes', ...args);
    /** probe runs in the namespace of web's current container: it reaches web's loopback-only server. */
    const joinedTo = async (text: string) => {
      const [web, probe] = await Promise.all([inspect('netmodes-web-1'), inspect('netmodes-probe-1')]);
      assert.equal(probe.HostConfig.NetworkMode, `container:${web.Id}`);
      assert.equal(await cli('exec', 'netmodes-probe-1', 'sh', '-c', fetchLoop('http://127.0.0.1/')), `${text}\n`);
      return probe.Id;
    };
    await writeProject('from-web');
    await compose('up', '-d');
    try {
      const first = await joinedTo('from-web');
      // web's configuration changed: web is recreated, and probe with it, though probe's own did not change.
      await writeProject('changed-web');
      await compose('up', '-d');
      const second = await joinedTo('changed-web');
      assert.notEqual(second, first);
      // web recreated behind probe's back (an `up` of web alone): the next `up` sees probe joined to a gone container.
      await compose('up', '-d', '--force-recreate', 'web');
      assert.equal((await inspect('netmodes-probe-1')).Id, second);
      await compose('up', '-d');
      assert.notEqual(await joinedTo('changed-web'), second);
      // Nothing changed since: nothing is recreated.
      const ids = () => Promise.all([inspect('netmodes-web-1'), inspect('netmodes-probe-1')]).then((all) => all.map((c) => c.Id));
      const settled = await ids();
      await compose('up', '-d');
      assert.deepEqual(await ids(), settled);
    } finally {
      await compose('down', '-t', '0');
    }
  });

  it('gives a default-bridge container the embedded DNS when it is connected to a user network, as Docker does', async () => {
    await cli('network', 'create', 'dns-net');
    const { Gateway: gateway } = (await inspectNetwork('dns-net')).IPAM.Config[0];
    await cli('run', '-d', '--name', 'peer', '--network', 'dns-net', busybox, 'sleep', '300');
    await cli('run', '-d', '--name', 'plain', busybox, 'sleep', '300');
    // This one rewrites its resolv.conf itself, which the engine then leaves alone (moby's hash check).
    await cli('run', '-d', '--name', 'edited', busybox, 'sh', '-c', 'echo "nameserver 127.0.0.1" > /etc/resolv.conf; exec sleep 300');
    assert.doesNotMatch(await cli('exec', 'plain', 'cat', '/etc/resolv.conf'), new RegExp(`nameserver ${gateway}`));

    await cli('network', 'connect', 'dns-net', 'plain');
    await cli('network', 'connect', 'dns-net', 'edited');
    assert.equal(await cli('exec', 'plain', 'cat', '/etc/resolv.conf'), `nameserver ${gateway}\noptions ndots:0\n`);
    const peerAddress = (await inspect('peer')).NetworkSettings.Networks['dns-net'].IPAddress;
    assert.match(await cli('exec', 'plain', 'nslookup', 'peer'), new RegExp(`Address:\\s+${peerAddress.replaceAll('.', '\\.')}`));
    assert.equal(await cli('exec', 'edited', 'cat', '/etc/resolv.conf'), 'nameserver 127.0.0.1\n');

    await cli('rm', '-f', 'peer', 'plain', 'edited');
    await cli('network', 'rm', 'dns-net');
  });
});
