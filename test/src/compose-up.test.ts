// SPDX-License-Identifier: Apache-2.0
// `tsc-engine compose` convergence end to end: a real daemon, busybox services on a user network and the project
// network, a named volume, a published port answered from the host, and peers reached by service name.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { projectObjects } from './support/compose-project.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { freePort, httpGet } from './support/net-probe.js';

interface PsEntry {
  ID: string;
  Name: string;
  Service: string;
  State: string;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
}

const PROJECT = 'shop';

/** web serves a page from the named volume; client fetches it from web by service name; worker sits on the default network. */
function composeFile(image: string, port: number, workerGreeting: string): string {
  return `
services:
  web:
    image: ${image}
    command: ["sh", "-c", "mkdir -p /data/www && echo hello-from-web > /data/www/index.html && exec httpd -f -p 80 -h /data/www"]
    ports: ["127.0.0.1:${port}:80"]
    volumes: ["data:/data"]
    networks: [front]
  client:
    image: ${image}
    command: ["sh", "-c", "while ! wget -q -O - http://web/index.html; do sleep 0.2; done; trap 'exit 0' TERM; sleep 300 & wait"]
    depends_on: [web]
    networks:
      front:
        aliases: [fetcher]
  worker:
    image: ${image}
    command: ["sh", "-c", "echo worker says $$GREETING; exec sleep 300"]
    environment:
      GREETING: ${workerGreeting}
    stop_grace_period: 1s
networks:
  front: {}
volumes:
  data: {}
`;
}

describe('compose up/down', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let dir: string;
  let image: string;
  let port: number;

  const compose = async (...args: string[]) => {
    const result = await engine.cli(['compose', '-f', join(dir, 'compose.yaml'), '-p', PROJECT, ...args]);
    assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const ps = async (...args: string[]) =>
    (await compose('ps', '--format', 'json', ...args)).stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as PsEntry);
  const writeProject = (greeting: string) => writeFile(join(dir, 'compose.yaml'), composeFile(image, port, greeting));
  before(async () => {
    // `up` pulls the image itself: its progress lines are part of what is checked.
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'], pull: false });
    ({ engine, dir, busybox: image } = setup);
    port = await freePort();
    await writeProject('one');
  });

  after(async () => {
    await engine?.cli(['compose', '-f', join(dir, 'compose.yaml'), '-p', PROJECT, 'down', '-v', '-t', '0']);
    await setup?.stop();
  });

  it('up -d pulls, creates networks, the volume and the containers, and starts them in order', async () => {
    const { stderr } = await compose('up', '-d', '--progress', 'plain');
    for (const line of [
      `Image ${image}  Pulled`,
      `Network ${PROJECT}_front  Created`,
      `Network ${PROJECT}_default  Created`,
      `Volume ${PROJECT}_data  Created`,
      `Container ${PROJECT}-web-1  Created`,
      `Container ${PROJECT}-web-1  Started`,
      `Container ${PROJECT}-client-1  Started`,
      `Container ${PROJECT}-worker-1  Started`,
    ]) {
      assert.ok(stderr.includes(line), `missing "${line}" in:\n${stderr}`);
    }
    assert.ok(stderr.indexOf(`${PROJECT}-web-1  Started`) < stderr.indexOf(`${PROJECT}-client-1  Starting`), 'client starts after web');
  });

  it('serves the published port on 127.0.0.1 from the named volume', async () => {
    assert.equal(await httpGet(`http://127.0.0.1:${port}/index.html`), 'hello-from-web\n');
  });

  it('ps lists the services running, with the published port', async () => {
    const entries = await ps();
    assert.deepEqual(entries.map((e) => [e.Name, e.Service, e.State]), [
      [`${PROJECT}-client-1`, 'client', 'running'],
      [`${PROJECT}-web-1`, 'web', 'running'],
      [`${PROJECT}-worker-1`, 'worker', 'running'],
    ]);
    assert.deepEqual(entries[1].Publishers, [{ URL: '127.0.0.1', TargetPort: 80, PublishedPort: port, Protocol: 'tcp' }]);
    const table = (await compose('ps')).stdout;
    assert.match(table, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS\n/);
    assert.match(table, new RegExp(`${PROJECT}-web-1 .* web .* Up .*127\\.0\\.0\\.1:${port}->80/tcp`));
  });

  it('logs prefixes each line with the replica; the client reached web by its service name', async () => {
    let logs = '';
    for (let i = 0; i < 50 && !logs.includes('client-1 | hello-from-web'); i++) {
      logs = (await compose('logs')).stdout;
      await delay(200);
    }
    assert.match(logs, /^client-1 \| hello-from-web$/m);
    assert.match(logs, /^worker-1 \| worker says one$/m);
    assert.equal((await compose('logs', '--tail', '1', 'worker')).stdout, 'worker-1 | worker says one\n');
  });

  it('up -d again recreates only the service whose configuration changed, and says why', async () => {
    const before = new Map((await ps()).map((e) => [e.Service, e.ID]));
    await writeProject('two');
    const { stderr } = await compose('up', '-d', '--progress', 'plain');
    assert.match(stderr, new RegExp(`Container ${PROJECT}-worker-1  Recreated \\(configuration changed\\)`));
    assert.match(stderr, new RegExp(`Container ${PROJECT}-web-1  Running`));
    assert.match(stderr, new RegExp(`Container ${PROJECT}-client-1  Running`));
    const afterwards = new Map((await ps()).map((e) => [e.Service, e.ID]));
    assert.equal(afterwards.get('web'), before.get('web'));
    assert.equal(afterwards.get('client'), before.get('client'));
    assert.notEqual(afterwards.get('worker'), before.get('worker'));
    for (let i = 0; i < 50 && !(await compose('logs', 'worker')).stdout.includes('worker says two'); i++) await delay(100);
    assert.equal((await compose('logs', 'worker')).stdout, 'worker-1 | worker says two\n');
  });

  it('--progress json reports each step as a JSON line', async () => {
    const { stderr } = await compose('up', '-d', '--progress', 'json');
    const events = stderr.trim().split('\n').map((line) => JSON.parse(line) as { id: string; status: string; state: string });
    assert.ok(events.some((e) => e.id === `Container ${PROJECT}-web-1` && e.status === 'Running' && e.state === 'done'), stderr);
  });

  it('port, ls, stop, start, restart, kill and rm act on the services by their labels', async () => {
    assert.equal((await compose('port', 'web', '80')).stdout, `127.0.0.1:${port}\n`);
    assert.match((await compose('ls')).stdout, new RegExp(`^${PROJECT}\\s+running\\(3\\)\\s+${dir}/compose.yaml$`, 'm'));
    assert.match((await compose('stop', '-t', '1', 'client')).stderr, new RegExp(`Container ${PROJECT}-client-1  Stopped`));
    assert.deepEqual((await ps('-a', 'client')).map((e) => e.State), ['exited']);
    assert.match((await compose('start', 'client')).stderr, new RegExp(`Container ${PROJECT}-client-1  Started`));
    assert.match((await compose('restart', 'worker')).stderr, new RegExp(`Container ${PROJECT}-worker-1  Started`));
    assert.match((await compose('kill', 'worker')).stderr, new RegExp(`Container ${PROJECT}-worker-1  Killed`));
    assert.match((await compose('rm', '--force', 'worker')).stderr, new RegExp(`Container ${PROJECT}-worker-1  Removed`));
    assert.deepEqual((await ps('-a')).map((e) => [e.Service, e.State]), [['client', 'running'], ['web', 'running']]);
  });

  it('down -v removes the containers, the networks and the volume', async () => {
    const { stderr } = await compose('down', '-v', '-t', '1', '--progress', 'plain');
    assert.match(stderr, new RegExp(`Container ${PROJECT}-web-1  Removed`));
    assert.match(stderr, new RegExp(`Volume ${PROJECT}_data  Removed`));
    assert.deepEqual(await projectObjects(engine, PROJECT, 'container'), []);
    assert.deepEqual(await projectObjects(engine, PROJECT, 'network'), []);
    assert.deepEqual(await projectObjects(engine, PROJECT, 'volume'), []);
    assert.deepEqual(await ps('-a'), []);
  });
});
