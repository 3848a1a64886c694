// SPDX-License-Identifier: Apache-2.0
// The rest of issue 7's command matrix with the real docker CLI (v28) against a tsc-engine daemon: version, info,
// pull, images, image inspect, tag, rmi, push, login, run and its common flags, create, logs, exec, stop, kill,
// rm, port, events, networks, volumes, system df and image prune, checking output and exit codes; then the same
// flows through dockerode. docker-cli.test.ts and docker-cli-interactive.test.ts cover the other commands.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { startAuthRegistry, type AuthRegistry } from './support/auth-registry.js';
import type { ProcessResult as Result } from './support/run-process.js';
import { DOCKER, dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { freePort, type FixtureRegistry } from './support/fixture-registry.js';

/** One event as `docker events --format '{{json .}}'` prints it. */
interface EventLine {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

describe('the docker CLI command matrix against tsc-engine', { timeout: 180_000 }, () => {
  let setup: EngineWithImages;
  let registry: FixtureRegistry;
  let basic: AuthRegistry;
  let engine: EngineDaemon;
  let dockerode: Docker;
  let image: string;
  let work: string;
  let docker: DockerCli;

  const spawnDocker = (args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess =>
    spawn(DOCKER, args, { env: { ...process.env, ...docker.env }, stdio: [stdin, 'pipe', 'pipe'] });
  const ok = async (...args: string[]): Promise<string> => {
    const result = await docker(args);
    assert.equal(result.code, 0, `docker ${args.join(' ')}: ${result.stderr}\n--- daemon log:\n${engine.log.slice(-2000)}`);
    return result.stdout;
  };
  /** Runs a command that must fail with `code` and a daemon error on stderr matching `message`. */
  const fails = async (args: string[], message: RegExp, code = 1): Promise<Result> => {
    const result = await docker(args);
    assert.equal(result.code, code, `docker ${args.join(' ')} should exit ${code}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message);
    return result;
  };
  const inspect = async (format: string, name: string) => (await ok('inspect', '--format', format, name)).trim();
  /** The names of all containers, running or not, that `ps -a` lists with `filter`. */
  const psNames = async (filter: string) => (await ok('ps', '-a', '--filter', filter, '--format', '{{.Names}}')).trim();

  before(async () => {
    // The matrix pulls busybox itself: `docker pull` is one of the commands it checks.
    [setup, basic] = await Promise.all([startEngineWithImages({ pull: false }), startAuthRegistry({ auth: { htpasswd: { bob: 'hunter2' } } })]);
    ({ engine, registry, dir: work, busybox: image } = setup);
    docker = dockerCli(engine, work);
    dockerode = new Docker({ socketPath: engine.socketPath });
  });

  after(async () => {
    await setup?.stop();
    await basic?.stop();
  });

  it('docker version and info describe the daemon', async () => {
    const version = await ok('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}/{{.Server.Arch}} {{.Server.MinAPIVersion}}');
    assert.match(version, /^\d+\.\d+\.\d+ 1\.\d+ linux\/(amd64|arm64) 1\.\d+\n$/);
    const table = await ok('version');
    assert.match(table, /^Client:\n/m);
    assert.match(table, /^Server: tsc-engine\n Engine:\n  Version: +\d/m);

    const info = JSON.parse(await ok('info', '--format', '{{json .}}')) as Record<string, unknown>;
    assert.equal(info.OSType, 'linux');
    assert.equal(info.Images, 0);
    assert.equal(info.Containers, 0);
    assert.equal(info.DockerRootDir, engine.dataRoot);
    assert.ok((info.NCPU as number) > 0 && (info.MemTotal as number) > 0, JSON.stringify(info));
    assert.match(await ok('info'), /^Server:\n Containers: 0\n {2}Running: 0\n/m);
  });

  it('docker pull, images, image inspect, tag and rmi', async () => {
    const pulled = await ok('pull', image);
    assert.match(pulled, /^Using default tag: latest\nlatest: Pulling from fixtures\/busybox\n/);
    assert.match(pulled, /: Pull complete\n/);
    assert.match(pulled, new RegExp(`Digest: sha256:[0-9a-f]{64}\\nStatus: Downloaded newer image for ${image}:latest\\n${image}:latest\\n$`));
    assert.match(await ok('pull', '-q', image), new RegExp(`^${image}:latest\\n$`));
    assert.match(await ok('pull', image), /Status: Image is up to date for /);
    await fails(['pull', `${registry.host}/fixtures/no-such-image`], /manifest unknown/);

    const id = (await ok('image', 'inspect', '--format', '{{.Id}}', image)).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const [inspected] = JSON.parse(await ok('image', 'inspect', image)) as Array<{ RepoTags: string[]; RepoDigests: string[]; Os: string; Config: { Cmd: string[] } }>;
    assert.deepEqual(inspected.RepoTags, [`${image}:latest`]);
    assert.match(inspected.RepoDigests[0], new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
    assert.equal(inspected.Os, 'linux');
    assert.deepEqual(inspected.Config.Cmd, ['sh']);
    assert.equal((await ok('images', '-q')).trim(), id.slice(7, 19));
    assert.match(await ok('images'), new RegExp(`^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\\n${image} +latest +${id.slice(7, 19)} +\\S.* ago +\\d+(\\.\\d+)?MB\\n$`));

    assert.equal(await ok('tag', image, 'matrix/local:v1'), '');
    await ok('tag', image, `${registry.host}/matrix/pushed:v1`);
    assert.deepEqual(
      (await ok('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}')).trim().split('\n').sort(),
      [`${registry.host}/fixtures/busybox:latest`, `${registry.host}/matrix/pushed:v1`, 'matrix/local:v1'].map((name) => `${name} ${id.slice(7, 19)}`).sort(),
    );
    assert.equal(await ok('images', '--filter', 'reference=matrix/*', '--format', '{{.Repository}}:{{.Tag}}'), 'matrix/local:v1\n');
    await fails(['tag', 'no-such-image', 'x:y'], /^Error response from daemon: No such image: no-such-image/);

    assert.equal(await ok('rmi', 'matrix/local:v1'), 'Untagged: matrix/local:v1\n');
    await fails(['rmi', 'matrix/local:v1'], /^Error response from daemon: No such image: matrix\/local:v1/);
    await fails(['image', 'inspect', 'matrix/local:v1'], /No such image: matrix\/local:v1/);
  });

  it('docker push to a registry, and login, push and pull with an htpasswd registry', async () => {
    const pushed = await ok('push', `${registry.host}/matrix/pushed:v1`);
    assert.match(pushed, /^The push refers to repository \[127\.0\.0\.1:\d+\/matrix\/pushed\]\n/);
    const digest = /^v1: digest: (sha256:[0-9a-f]{64}) size: \d+$/m.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    const manifest = await fetch(`${registry.url}/v2/matrix/pushed/manifests/v1`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    assert.equal(manifest.status, 200);
    assert.equal(manifest.headers.get('docker-content-digest'), digest);

    const target = `${basic.host}/private/busybox:1`;
    await ok('tag', image, target);
    const anonymous = await docker(['push', target]);
    assert.equal(anonymous.code, 1, anonymous.stdout);
    assert.match(anonymous.stderr, /authentication required|unauthorized/);
    await fails(['login', '-u', 'bob', '--password', 'wrong', basic.host], /^Error response from daemon: .*unauthorized/im);
    const login = await docker(['login', '-u', 'bob', '--password-stdin', basic.host], { input: 'hunter2\n' });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /^Login Succeeded\n$/m);
    const config = JSON.parse(await readFile(join(work, 'docker-config', 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(Buffer.from(config.auths[basic.host].auth, 'base64').toString(), 'bob:hunter2');
    assert.match(await ok('push', target), /^1: digest: sha256:[0-9a-f]{64} size: \d+$/m);
    // The repository's last tag takes its digest reference (from the push) with it.
    assert.match(await ok('rmi', target), new RegExp(`^Untagged: ${target}\\nUntagged: ${basic.host}/private/busybox@sha256:[0-9a-f]{64}\\n$`));
    assert.doesNotMatch(await ok('images'), /private/);
    assert.match(await ok('pull', target), new RegExp(`Status: Downloaded newer image for ${target}\\n`));
    assert.match(await ok('logout', basic.host), /Removing login credentials for /);
    await ok('rmi', target);
    const denied = await docker(['pull', target]);
    assert.equal(denied.code, 1, denied.stdout);
    assert.match(denied.stderr, /authentication required|unauthorized/);
  });

  it('docker run with -e, -w, -u, --entrypoint, -v, --rm, -d, --name and -p; port', async () => {
    const data = join(work, 'bind');
    await mkdir(data);
    // Writable by the user the container runs as.
    await chmod(data, 0o777);
    await writeFile(join(data, 'hello.txt'), 'from the host\n');
    const out = await ok('run', '--rm', '--name', 'flags', '--network', 'none', '-e', 'GREETING=hi there', '-w', '/tmp', '-u', '1000:1000',
      '-v', `${data}:/data`, '--entrypoint', 'sh', image, '-c', 'echo "$GREETING"; pwd; id -u; id -g; cat /data/hello.txt; echo written > /data/out.txt');
    assert.equal(out, 'hi there\n/tmp\n1000\n1000\nfrom the host\n');
    assert.equal(await readFile(join(data, 'out.txt'), 'utf8'), 'written\n');
    assert.equal(await psNames('name=flags'), '', '--rm removed the container');
    await fails(['run', '--rm', '--network', 'none', image, 'sh', '-c', 'exit 42'], /^$/, 42);
    await fails(['run', '--rm', '--name', 'broken', '--network', 'none', image, 'no-such-command'], /^docker: Error response from daemon: .*no-such-command/, 127);
    assert.equal(await psNames('name=broken'), '', 'a --rm container that cannot start is removed');

    const port = await freePort();
    const id = (await ok('run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:8080`, image,
      'sh', '-c', 'echo served > /tmp/index.html; exec httpd -f -p 8080 -h /tmp')).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(await inspect('{{.Name}} {{.State.Status}}', 'web'), '/web running');
    assert.equal(await ok('port', 'web'), `8080/tcp -> 127.0.0.1:${port}\n`);
    assert.equal(await ok('port', 'web', '8080/tcp'), `127.0.0.1:${port}\n`);
    await fails(['port', 'web', '9999/tcp'], /^Error: No public port '9999\/tcp' published for web/);
    let body = '';
    for (let attempt = 0; attempt < 50 && body === ''; attempt++) {
      body = await fetch(`http://127.0.0.1:${port}/index.html`).then((r) => r.text(), () => '');
      if (body === '') await delay(100);
    }
    assert.equal(body, 'served\n');

    await ok('run', '-d', '--rm', '--name', 'gone', '--network', 'none', image, 'sh', '-c', 'sleep 0.3');
    for (let attempt = 0; attempt < 50 && (await psNames('name=gone')) !== ''; attempt++) await delay(100);
    assert.equal(await psNames('name=gone'), '', 'a detached --rm container is removed when it exits');
  });

  it('docker create, then logs with -f, --since, --tail and -t', async () => {
    const id = (await ok('create', '--name', 'talker', '--network', 'none', image, 'sh', '-c', 'echo one; echo oops >&2; sleep 1.5; echo two; echo three')).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(await inspect('{{.State.Status}}', 'talker'), 'created');
    assert.equal(await ok('ps', '-a', '--filter', 'name=talker', '--format', '{{.Status}}'), 'Created\n');
    assert.equal(await ok('logs', 'talker'), '');
    await ok('start', 'talker');
    // -f follows until the container exits.
    const followed = await docker(['logs', '-f', 'talker']);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'one\ntwo\nthree\n');
    assert.equal(followed.stderr, 'oops\n');

    const stamped = await docker(['logs', '-t', 'talker']);
    const lines = stamped.stdout.trim().split('\n');
    assert.equal(lines.length, 3, stamped.stdout);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (one|two|three)$/);
    assert.match(stamped.stderr, /^\S+Z oops\n$/);
    const secondOne = Date.parse(lines[0].split(' ')[0]) / 1000 + 1;
    assert.equal((await docker(['logs', '--since', secondOne.toFixed(3), 'talker'])).stdout, 'two\nthree\n');
    assert.equal((await docker(['logs', '--tail', '2', 'talker'])).stdout, 'two\nthree\n');
    assert.equal((await docker(['logs', '--tail', '0', 'talker'])).stdout, '');
    await fails(['logs', 'no-such-container'], /^Error response from daemon: No such container: no-such-container\n$/);

    // Following a running container prints new lines as they come and ends when the container does.
    await ok('run', '-d', '--name', 'ticker', '--network', 'none', image, 'sh', '-c', 'echo first; sleep 1; echo second');
    const follower = spawnDocker(['logs', '-f', '--tail', '1', 'ticker']);
    let seen = '';
    follower.stdout!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const [code] = (await once(follower, 'close')) as [number];
    assert.equal(code, 0);
    assert.equal(seen, 'first\nsecond\n');
  });

  it('docker exec with -e, -w and -u, its exit codes and errors', async () => {
    await ok('run', '-d', '--name', 'box', '--network', 'none', image, 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done');
    assert.equal(await ok('exec', '-e', 'WHO=exec', '-w', '/etc', '-u', '1000', 'box', 'sh', '-c', 'echo "$WHO"; pwd; id -u'), 'exec\n/etc\n1000\n');
    assert.equal(await ok('exec', 'box', 'id', '-u'), '0\n');
    await fails(['exec', 'box', 'sh', '-c', 'echo bad >&2; exit 7'], /^bad\n$/, 7);
    const missing = await docker(['exec', 'box', 'no-such-command']);
    assert.equal(missing.code, 127);
    assert.match(missing.stdout, /exec: "no-such-command": executable file not found in \$PATH/);
    await fails(['exec', 'no-such-container', 'true'], /^Error response from daemon: No such container: no-such-container\n$/);
    await ok('create', '--name', 'idle', '--network', 'none', image, 'true');
    await fails(['exec', 'idle', 'true'], /^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
  });

  it('docker stop, kill and rm -f -v', async () => {
    // box exits 0 on SIGTERM: stop sends it first.
    assert.equal(await ok('stop', '-t', '5', 'box'), 'box\n');
    assert.equal(await inspect('{{.State.Status}} {{.State.ExitCode}}', 'box'), 'exited 0');
    await fails(['kill', 'box'], /^Error response from daemon: Cannot kill container: box: Container [0-9a-f]{64} is not running\n$/);

    await ok('run', '-d', '--name', 'victim', '--network', 'none', image, 'sleep', '300');
    assert.equal(await ok('kill', 'victim'), 'victim\n');
    assert.equal(await inspect('{{.State.Status}} {{.State.ExitCode}}', 'victim'), 'exited 137', 'kill with SIGKILL returns once the container is dead');
    await ok('run', '-d', '--name', 'signalled', '--network', 'none', image, 'sh', '-c', 'trap "echo got usr1; exit 5" USR1; while true; do sleep 0.1; done');
    await delay(300);
    assert.equal(await ok('kill', '-s', 'USR1', 'signalled'), 'signalled\n');
    assert.equal(await ok('wait', 'signalled'), '5\n');
    assert.equal(await ok('logs', 'signalled'), 'got usr1\n');

    await ok('run', '-d', '--name', 'holder', '--network', 'none', '-v', 'kept:/named', '-v', '/anonymous', image, 'sleep', '300');
    const anonymous = await inspect('{{range .Mounts}}{{if eq .Destination "/anonymous"}}{{.Name}}{{end}}{{end}}', 'holder');
    assert.match(anonymous, /^[0-9a-f]{64}$/);
    await fails(['rm', 'holder'], /^Error response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove\n$/);
    assert.equal(await ok('rm', '-f', '-v', 'holder'), 'holder\n');
    assert.equal(await psNames('name=holder'), '');
    const volumes = (await ok('volume', 'ls', '-q')).split('\n');
    assert.ok(volumes.includes('kept'), 'rm -v keeps named volumes');
    assert.ok(!volumes.includes(anonymous), 'rm -v removes anonymous volumes');
    assert.equal(await ok('rm', 'box', 'victim', 'signalled', 'idle'), 'box\nvictim\nsignalled\nidle\n');
    await fails(['rm', 'box'], /^Error response from daemon: No such container: box\n$/);
  });

  it('docker events streams and replays container events in order', async () => {
    const since = Math.floor(Date.now() / 1000);
    const stream = spawnDocker(['events', '--format', '{{json .}}', '--filter', 'type=container']);
    let streamed = '';
    stream.stdout!.on('data', (chunk: Buffer) => (streamed += chunk.toString()));
    try {
      // The subscription is live once the daemon answered; a container of its own proves it.
      await ok('run', '--rm', '--name', 'warmup', '--network', 'none', image, 'true');
      for (let attempt = 0; attempt < 50 && !streamed.includes('"warmup"'); attempt++) await delay(100);
      assert.match(streamed, /"warmup"/, 'docker events prints events as they happen');
      assert.equal((await docker(['run', '--rm', '--name', 'eventful', '--network', 'none', image, 'sh', '-c', 'exit 3'])).code, 3);
      for (let attempt = 0; attempt < 50 && !/"destroy".*"eventful"/.test(streamed); attempt++) await delay(100);
    } finally {
      stream.kill('SIGTERM');
      await once(stream, 'close');
    }
    const events = streamed.trim().split('\n').map((line) => JSON.parse(line) as EventLine).filter((e) => e.Actor.Attributes.name === 'eventful');
    const lifecycle = events.map((e) => e.Action).filter((action) => ['create', 'start', 'die', 'destroy'].includes(action));
    assert.deepEqual(lifecycle, ['create', 'start', 'die', 'destroy'], JSON.stringify(events));
    const id = events[0].Actor.ID;
    for (const event of events) {
      assert.equal(event.Type, 'container');
      assert.equal(event.Actor.ID, id);
      assert.equal(event.Actor.Attributes.image, image);
      assert.ok(Math.abs(event.time * 1000 - Date.now()) < 60_000 && Math.floor(event.timeNano / 1e9) === event.time, JSON.stringify(event));
    }
    assert.equal(events.find((e) => e.Action === 'die')?.Actor.Attributes.exitCode, '3');

    // --since/--until replays the past and returns; a container filter matches names.
    const until = Math.ceil(Date.now() / 1000) + 1;
    const replay = await ok('events', '--since', String(since), '--until', String(until), '--filter', 'container=eventful', '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}');
    const replayed = replay.trim().split('\n').filter((line) => / (create|start|die|destroy) /.test(line));
    assert.deepEqual(replayed, ['create', 'start', 'die', 'destroy'].map((action) => `container ${action} ${id}`));
  });

  it('docker network ls, create, inspect, connect and rm', async () => {
    assert.match(await ok('network', 'ls'), /^NETWORK ID +NAME +DRIVER +SCOPE\n/);
    assert.deepEqual((await ok('network', 'ls', '--format', '{{.Name}} {{.Driver}}')).trim().split('\n').sort(), ['bridge bridge', 'host host', 'none null']);
    const id = (await ok('network', 'create', '--label', 'purpose=matrix', 'matrixnet')).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    await fails(['network', 'create', 'matrixnet'], /^Error response from daemon: network with name matrixnet already exists\n$/);
    assert.equal(await ok('network', 'ls', '--filter', 'label=purpose=matrix', '--format', '{{.ID}} {{.Name}}'), `${id.slice(0, 12)} matrixnet\n`);
    const [network] = JSON.parse(await ok('network', 'inspect', 'matrixnet')) as Array<{ Id: string; Name: string; Driver: string; Labels: Record<string, string>; IPAM: { Config: Array<{ Subnet: string; Gateway: string }> } }>;
    assert.equal(network.Id, id);
    assert.equal(network.Driver, 'bridge');
    assert.deepEqual(network.Labels, { purpose: 'matrix' });
    assert.match(network.IPAM.Config[0].Subnet, /^\d+\.\d+\.\d+\.\d+\/\d+$/);

    // A container on the network answers by name; one connected later too, at its new address.
    await ok('run', '-d', '--name', 'server', '--network', 'matrixnet', image, 'sleep', '300');
    await ok('run', '-d', '--name', 'joiner', image, 'sleep', '300');
    await ok('network', 'connect', 'matrixnet', 'joiner');
    const joinerIp = await inspect('{{.NetworkSettings.Networks.matrixnet.IPAddress}}', 'joiner');
    assert.match(joinerIp, /^\d+\.\d+\.\d+\.\d+$/);
    // Only names the embedded resolver knows are asked, so no query leaves the host.
    const pinged = await ok('run', '--rm', '--network', 'matrixnet', image, 'sh', '-c', 'ping -c1 -W2 server && ping -c1 -W2 joiner');
    assert.match(pinged, /^PING server \(\d+\.\d+\.\d+\.\d+\)/m);
    assert.match(pinged, new RegExp(`^PING joiner \\(${joinerIp.replace(/\./g, '\\.')}\\)`, 'm'));
    assert.match(pinged, /1 packets received.*\n[^]*1 packets received/);
    assert.deepEqual((await ok('network', 'inspect', '--format', '{{range .Containers}}{{.Name}} {{end}}', 'matrixnet')).trim().split(' ').sort(), ['joiner', 'server']);
    await fails(['network', 'rm', 'matrixnet'], /^Error response from daemon: error while removing network: network matrixnet id [0-9a-f]{64} has active endpoints/);
    await ok('rm', '-f', 'server', 'joiner');
    assert.equal(await ok('network', 'rm', 'matrixnet'), 'matrixnet\n');
    await fails(['network', 'inspect', 'matrixnet'], /network matrixnet not found/);
  });

  it('docker volume ls, create, inspect and rm', async () => {
    assert.equal(await ok('volume', 'create', '--label', 'purpose=matrix', 'matrixvol'), 'matrixvol\n');
    const [volume] = JSON.parse(await ok('volume', 'inspect', 'matrixvol')) as Array<{ Name: string; Driver: string; Mountpoint: string; Labels: Record<string, string>; Scope: string }>;
    assert.equal(volume.Name, 'matrixvol');
    assert.equal(volume.Driver, 'local');
    assert.equal(volume.Scope, 'local');
    assert.deepEqual(volume.Labels, { purpose: 'matrix' });
    assert.ok(volume.Mountpoint.startsWith(engine.dataRoot), volume.Mountpoint);
    assert.match(await ok('volume', 'ls'), /^DRIVER +VOLUME NAME\n(local +\S+\n)*local +matrixvol\n/);
    assert.equal(await ok('volume', 'ls', '--filter', 'label=purpose=matrix', '--format', '{{.Name}} {{.Driver}}'), 'matrixvol local\n');

    await ok('run', '--rm', '--network', 'none', '-v', 'matrixvol:/v', image, 'sh', '-c', 'echo persisted > /v/file');
    assert.equal(await ok('run', '--rm', '--network', 'none', '-v', 'matrixvol:/v:ro', image, 'cat', '/v/file'), 'persisted\n');
    await ok('create', '--name', 'user', '--network', 'none', '-v', 'matrixvol:/v', image, 'true');
    await fails(['volume', 'rm', 'matrixvol'], /^Error response from daemon: remove matrixvol: volume is in use - \[[0-9a-f]{64}\]\n$/);
    await ok('rm', 'user');
    assert.equal(await ok('volume', 'rm', 'matrixvol', 'kept'), 'matrixvol\nkept\n');
    await fails(['volume', 'inspect', 'matrixvol'], /^Error response from daemon: get matrixvol: no such volume\n$/);
  });

  it('docker system df and image prune', async () => {
    const df = await ok('system', 'df');
    assert.match(df, /^TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE\nImages +\d+ +\d+ +\d+(\.\d+)?[kM]?B +\S+( \(\d+%\))?\nContainers +\d+ +\d+ /);
    assert.match(df, /\nLocal Volumes +\d+ +\d+ /);
    // Images count once however many tags they have; `web` still runs, so one is active.
    const counts = (await ok('system', 'df', '--format', '{{.Type}}={{.TotalCount}}/{{.Active}}')).trim().split('\n');
    const imageIds = new Set((await ok('images', '-q')).trim().split('\n'));
    const containers = (await ok('ps', '-aq')).trim().split('\n').filter(Boolean);
    assert.deepEqual(counts.slice(0, 2), [`Images=${imageIds.size}/1`, `Containers=${containers.length}/1`]);

    // Taking the only tag of an image for another leaves it dangling, which image prune removes.
    await ok('pull', '-q', `${registry.host}/fixtures/multilayer`);
    const multilayer = (await ok('image', 'inspect', '--format', '{{.Id}}', `${registry.host}/fixtures/multilayer`)).trim();
    await ok('tag', `${registry.host}/fixtures/multilayer`, 'matrix/shifting:1');
    await ok('rmi', `${registry.host}/fixtures/multilayer`);
    await ok('tag', image, 'matrix/shifting:1');
    assert.equal(await ok('images', '--filter', 'dangling=true', '--format', '{{.ID}}'), `${multilayer.slice(7, 19)}\n`);
    const pruned = await ok('image', 'prune', '-f');
    assert.match(pruned, new RegExp(`^Deleted Images:\\n(untagged: \\S+\\n)*deleted: ${multilayer}\\n(deleted: sha256:[0-9a-f]{64}\\n)*\\nTotal reclaimed space: \\d+(\\.\\d+)?[kM]?B\\n$`));
    assert.equal(await ok('image', 'prune', '-f'), 'Total reclaimed space: 0B\n');

    // -a removes unused images, keeping those a container uses.
    await ok('pull', '-q', `${registry.host}/fixtures/multilayer`);
    await ok('create', '--name', 'pin', '--network', 'none', image, 'true');
    const all = await ok('image', 'prune', '-a', '-f');
    assert.match(all, new RegExp(`untagged: ${registry.host}/fixtures/multilayer:latest\\n`));
    assert.doesNotMatch(all, new RegExp(`untagged: ${image}:latest`));
    assert.equal((await ok('images', '--format', '{{.Repository}}:{{.Tag}}')).trim().split('\n').sort().join(' '), `${image}:latest matrix/shifting:1 ${registry.host}/matrix/pushed:v1`.split(' ').sort().join(' '));
    await ok('rm', 'pin');
  });

  it('dockerode pulls with progress, runs a container, execs, and manages networks and volumes', async () => {
    const reference = `${registry.host}/fixtures/multilayer:latest`;
    const progress: Array<{ status?: string; id?: string }> = [];
    const stream = await dockerode.pull(reference);
    await new Promise<void>((resolve, reject) =>
      dockerode.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), (event: { status?: string; id?: string }) => progress.push(event)),
    );
    const statuses = progress.map((e) => e.status ?? '');
    assert.ok(statuses.includes('Pulling fs layer') && statuses.includes('Pull complete'), statuses.join('\n'));
    assert.ok(statuses.some((s) => s === `Status: Downloaded newer image for ${reference}`), statuses.join('\n'));
    assert.ok((await dockerode.listImages({ filters: { reference: [reference] } })).length === 1);

    const volume = await dockerode.createVolume({ Name: 'dockerode-vol', Labels: { via: 'dockerode' } });
    assert.deepEqual((await volume.inspect()).Labels, { via: 'dockerode' });
    const listedVolumes = await dockerode.listVolumes({ filters: { label: ['via=dockerode'] } });
    assert.deepEqual(listedVolumes.Volumes.map((v) => v.Name), ['dockerode-vol']);
    const network = await dockerode.createNetwork({ Name: 'dockerode-net', Labels: { via: 'dockerode' } });
    assert.deepEqual((await dockerode.listNetworks({ filters: { label: ['via=dockerode'] } })).map((n) => n.Name), ['dockerode-net']);

    const container = await dockerode.createContainer({
      Image: reference,
      name: 'dockerode-run',
      Cmd: ['sh', '-c', 'echo out; echo err >&2; echo stored > /v/file; exit 4'],
      Env: ['X=1'],
      HostConfig: { Binds: ['dockerode-vol:/v'], NetworkMode: 'dockerode-net' },
    });
    await container.start();
    assert.equal(((await container.wait()) as { StatusCode: number }).StatusCode, 4);
    const logs = demux((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    assert.deepEqual(logs, { stdout: 'out\n', stderr: 'err\n' });
    const info = await container.inspect();
    assert.equal(info.State.ExitCode, 4);
    assert.ok('dockerode-net' in info.NetworkSettings.Networks);
    await container.remove();
    await assert.rejects(container.inspect(), (error: { statusCode?: number }) => error.statusCode === 404);

    const runner = await dockerode.createContainer({ Image: reference, Cmd: ['sleep', '300'], HostConfig: { Binds: ['dockerode-vol:/v'], NetworkMode: 'none' } });
    await runner.start();
    const exec = await runner.exec({ Cmd: ['sh', '-c', 'echo "$E $(pwd) $(id -u)"; cat /v/file; echo e >&2; exit 2'], Env: ['E=env'], WorkingDir: '/v', User: '1000', AttachStdout: true, AttachStderr: true });
    const output = await exec.start({});
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(output, 'end');
    assert.deepEqual(demux(Buffer.concat(chunks)), { stdout: 'env /v 1000\nstored\n', stderr: 'e\n' });
    assert.equal((await exec.inspect()).ExitCode, 2);
    await runner.kill();
    await runner.remove({ v: true });

    await network.connect({ Container: (await dockerode.createContainer({ Image: reference, name: 'dockerode-peer', Cmd: ['true'] })).id });
    assert.deepEqual(Object.values((await network.inspect()) as { Containers: Record<string, { Name: string }> }).length > 0, true);
    await dockerode.getContainer('dockerode-peer').remove();
    await network.remove();
    await volume.remove();
    await assert.rejects(dockerode.getVolume('dockerode-vol').inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
    await dockerode.getImage(reference).remove();
  });
});

/** Splits Docker's multiplexed stream (8-byte headers: stream, 0, 0, 0, big-endian length) into its two outputs. */
function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  for (let offset = 0; offset + 8 <= buffer.length; ) {
    const length = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + length).toString();
    if (buffer[offset] === 2) out.stderr += payload;
    else out.stdout += payload;
    offset += 8 + length;
  }
  return out;
}
