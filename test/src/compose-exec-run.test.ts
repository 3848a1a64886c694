// SPDX-License-Identifier: Apache-2.0
// `tsc-engine compose exec`, `run` and `top` end to end: commands in a service's running container (exit codes,
// -e/-w/-u, --privileged, a terminal through tmux), one-off containers reaching a dependency by service name, hidden
// from `ps` and removed by `--rm` or `down`, run's overrides (--no-deps, --service-ports, -p, -v, --entrypoint,
// --name, -e, -w, -u, -l) as docker compose applies them, and the processes of the project.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectObjects } from './support/compose-project.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { freePort, httpdCommand, httpGet } from './support/net-probe.js';
import { TmuxTerminals } from './support/tmux-terminal.js';

const PROJECT = 'tools';

/**
 * db answers on port 80 of the project network; web depends on it and publishes a port (which `run` must not take);
 * job, scaled to none, is there for one-offs that publish its port.
 */
function composeFile(image: string, port: number, jobPort: number): string {
  return `
services:
  db:
    image: ${image}
    command: ${JSON.stringify(httpdCommand('db-answer'))}
  web:
    image: ${image}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    depends_on: [db]
    ports: ["127.0.0.1:${port}:80"]
    environment:
      FROM_SERVICE: web-env
    labels:
      from-file: "yes"
  job:
    image: ${image}
    scale: 0
    command: ${JSON.stringify(httpdCommand('job-answer'))}
    ports: ["127.0.0.1:${jobPort}:80"]
`;
}

describe('compose exec, run and top', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let file: string;
  let jobPort: number;
  const terminals = new TmuxTerminals();

  const compose = (...args: string[]) => engine.cli(['compose', '-f', file, '-p', PROJECT, ...args]);
  const ok = async (...args: string[]) => {
    const result = await compose(...args);
    assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const oneOffs = () => projectObjects(engine, PROJECT, 'container', 'label=com.docker.compose.oneoff=True');
  const psNames = async (...args: string[]) =>
    (await ok('ps', '--format', 'json', ...args)).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { Name: string }).Name);

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables', 'tmux'] });
    engine = setup.engine;
    file = join(setup.dir, 'compose.yaml');
    jobPort = await freePort();
    await writeFile(file, composeFile(setup.busybox, await freePort(), jobPort));
    await ok('up', '-d', '--progress', 'quiet');
  });

  after(async () => {
    await terminals.stop();
    await engine?.cli(['compose', '-f', file, '-p', PROJECT, 'down', '-t', '0']);
    await setup?.stop();
  });

  it('exec runs in the service container, keeps stdout and stderr apart, and exits with the exit code', async () => {
    const result = await compose('exec', '-T', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'err\n');
    // Without -T and without a terminal: plain streams all the same; the command's flags stay its own.
    assert.equal(await ok('exec', 'web', 'sh', '-c', 'echo $FROM_SERVICE; ls -d /tmp'), 'web-env\n/tmp\n');
  });

  it('exec takes -e, -w and -u', async () => {
    const out = await ok('exec', '-T', '-e', 'GREETING=hi', '-w', '/etc', '-u', '65534', 'web', 'sh', '-c', 'echo $GREETING $(pwd) $(id -u)');
    assert.equal(out, 'hi /etc 65534\n');
  });

  it('exec --privileged gives the command every capability the engine has, as docker does', async () => {
    const capabilities = (status: string, set: string) => new RegExp(`^${set}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
    // Docker's default set, for a plain exec as for the container's own process.
    assert.equal(capabilities(await ok('exec', '-T', 'web', 'cat', '/proc/self/status'), 'CapEff'), '00000000a80425fb');
    const privileged = await ok('exec', '-T', '--privileged', 'web', 'cat', '/proc/self/status');
    const granted = capabilities(await readFile('/proc/self/status', 'utf8'), 'CapBnd');
    assert.equal(capabilities(privileged, 'CapEff'), granted);
    assert.equal(capabilities(privileged, 'CapBnd'), granted);
    assert.equal(capabilities(await ok('exec', '-T', 'web', 'cat', '/proc/1/status'), 'CapEff'), '00000000a80425fb', 'the container keeps its own set');
  });

  it('exec -d starts the command and returns; the command runs on', async () => {
    assert.equal(await ok('exec', '-d', 'web', 'sh', '-c', 'sleep 0.2; echo detached > /tmp/mark'), '');
    assert.equal(await ok('exec', '-T', 'web', 'sh', '-c', 'until [ -f /tmp/mark ]; do sleep 0.1; done; cat /tmp/mark'), 'detached\n');
  });

  it('exec gives the command a terminal when this one is a terminal', async () => {
    const term = await engine.terminal(terminals, ['compose', '-f', file, '-p', PROJECT, 'exec', 'web', 'sh']);
    try {
      await term.waitFor(/ # $/m);
      await term.type('until stty size >/dev/null 2>&1; do sleep 0.1; done; tty; stty size; exit 4', 'Enter');
      const screen = await term.waitFor(/\[exit \d+\]/);
      assert.match(screen, /\[exit 4\]/);
      assert.match(screen, /^\/dev\/pts\/\d+$/m);
      assert.match(screen, /^30 100$/m, 'the terminal has the size of the one compose runs on');
    } finally {
      await term.close();
    }
  });

  it('top prints the processes of the running containers in one table', async () => {
    const out = await ok('top');
    const [header, ...rows] = out.trimEnd().split('\n');
    assert.match(header, /^SERVICE\s+#\s+UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.ok(rows.some((row) => /^db\s+1\s+.*httpd -f -p 80/.test(row)), out);
    assert.ok(rows.some((row) => /^web\s+1\s+.*sleep 300/.test(row)), out);
    assert.doesNotMatch(await ok('top', 'db'), /sleep 300/);
  });

  it('run --rm reaches the dependency by its service name, exits with its exit code and leaves nothing', async () => {
    // web's published port is taken by web itself: the one-off can start only because it publishes nothing.
    const result = await compose('run', '--rm', '-e', 'EXTRA=x', 'web', 'sh', '-c', 'wget -q -O - http://db/index.html; echo $FROM_SERVICE $EXTRA; exit 7');
    assert.equal(result.code, 7, result.stderr);
    assert.equal(result.stdout, 'db-answer\nweb-env x\n');
    assert.deepEqual(await oneOffs(), []);
  });

  it('a one-off is named and labelled as compose does, publishes nothing, and only ps -a shows it', async () => {
    const id = (await ok('run', '-d', 'web', 'sleep', '300')).trim();
    const inspect = JSON.parse(await engine.cliOk(['inspect', id]))[0] as {
      Name: string;
      Config: { Labels: Record<string, string> };
      HostConfig: { PortBindings: Record<string, unknown> | null };
    };
    const name = inspect.Name.replace(/^\//, '');
    assert.match(name, new RegExp(`^${PROJECT}-web-run-[0-9a-f]{12}$`));
    assert.equal(inspect.Config.Labels['com.docker.compose.oneoff'], 'True');
    assert.equal(inspect.Config.Labels['com.docker.compose.service'], 'web');
    assert.equal(inspect.Config.Labels['com.docker.compose.container-number'], '-1');
    assert.equal(inspect.Config.Labels['com.docker.compose.slug'].slice(0, 12), name.slice(-12));
    assert.deepEqual(inspect.HostConfig.PortBindings ?? {}, {});
    assert.deepEqual(await psNames(), [`${PROJECT}-db-1`, `${PROJECT}-web-1`]);
    assert.ok((await psNames('-a')).includes(name));
    assert.match(await ok('top', 'web'), new RegExp(`^web\\s+-1\\s+.*sleep 300$`, 'm'));
  });

  it('run --entrypoint, -e, -w, -u, -l and --name override the service, as docker compose applies them', async () => {
    // An entrypoint given without a command drops the service's command too.
    assert.equal(await ok('run', '--rm', '--entrypoint', 'echo from-entrypoint', 'web'), 'from-entrypoint\n');
    assert.equal(await ok('run', '--rm', '--entrypoint', 'echo', 'web', 'a', 'b'), 'a b\n');
    process.env.TOOLS_PASSED = 'from-host';
    try {
      const out = await ok(
        'run', '--name', 'tools-named', '-e', 'FROM_SERVICE=overridden', '-e', 'TOOLS_PASSED', '-e', 'TOOLS_UNSET', '-w', '/etc', '-u', '65534:65534',
        '-l', 'team=qa', '-l', 'from-file=overridden', 'web', 'sh', '-c', 'echo $FROM_SERVICE $TOOLS_PASSED ${TOOLS_UNSET-unset} $(pwd) $(id -u):$(id -g)',
      );
      assert.equal(out, 'overridden from-host unset /etc 65534:65534\n');
    } finally {
      delete process.env.TOOLS_PASSED;
    }
    const [inspect] = JSON.parse(await engine.cliOk(['inspect', 'tools-named'])) as { Name: string; Config: { Labels: Record<string, string>; User: string; WorkingDir: string } }[];
    assert.equal(inspect.Name, '/tools-named');
    assert.equal(inspect.Config.Labels.team, 'qa');
    assert.equal(inspect.Config.Labels['from-file'], 'overridden');
    assert.equal(inspect.Config.Labels['com.docker.compose.oneoff'], 'True');
    assert.deepEqual([inspect.Config.User, inspect.Config.WorkingDir], ['65534:65534', '/etc']);
    await engine.cliOk(['rm', 'tools-named']);
  });

  it('run -v mounts beside the service\'s volumes, relative host paths from the project directory', async () => {
    await mkdir(join(setup.dir, 'data'), { recursive: true });
    await writeFile(join(setup.dir, 'data', 'file'), 'from-host\n');
    const out = await ok('run', '--rm', '-v', './data:/data:ro', '-v', `${setup.dir}/data:/rw`, 'web', 'sh', '-c', 'cat /data/file; touch /data/x 2>/dev/null || echo read-only; echo written > /rw/back');
    assert.equal(out, 'from-host\nread-only\n');
    assert.equal(await readFile(join(setup.dir, 'data', 'back'), 'utf8'), 'written\n');
  });

  it('run --service-ports publishes the service\'s ports, -p the ones given instead', async () => {
    const servicePorts = (await ok('run', '-d', '--service-ports', 'job')).trim();
    try {
      assert.equal(await httpGet(`http://127.0.0.1:${jobPort}/`), 'job-answer\n');
    } finally {
      await engine.cliOk(['rm', '-f', servicePorts]);
    }
    const port = await freePort();
    const published = (await ok('run', '-d', '-p', `127.0.0.1:${port}:80`, 'job')).trim();
    try {
      assert.equal(await httpGet(`http://127.0.0.1:${port}/`), 'job-answer\n');
      const [inspect] = JSON.parse(await engine.cliOk(['inspect', published])) as { HostConfig: { PortBindings: Record<string, unknown> } }[];
      assert.deepEqual(inspect.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
    } finally {
      await engine.cliOk(['rm', '-f', published]);
    }
    const both = await compose('run', '--rm', '--service-ports', '-p', '8080:80', 'job', 'true');
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /--service-ports|--publish/);
  });

  it('run --no-deps leaves a stopped dependency stopped; without it the dependency starts first', async () => {
    await ok('stop', '-t', '0', 'db');
    assert.equal(await ok('run', '--rm', '--no-deps', 'web', 'echo', 'alone'), 'alone\n');
    assert.deepEqual(await psNames(), [`${PROJECT}-web-1`]);
    assert.equal(await ok('run', '--rm', 'web', 'sh', '-c', 'wget -q -O - http://db/index.html'), 'db-answer\n');
    assert.deepEqual(await psNames(), [`${PROJECT}-db-1`, `${PROJECT}-web-1`]);
  });

  it('exec on a service with no running container fails naming the service', async () => {
    await ok('stop', '-t', '0', 'web');
    const result = await compose('exec', '-T', 'web', 'true');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /service "web" is not running/);
  });

  it('down removes the left-over one-off with the services, and the project network', async () => {
    assert.equal((await oneOffs()).length, 1);
    await ok('down', '-t', '0');
    assert.deepEqual(await projectObjects(engine, PROJECT, 'container'), []);
    assert.deepEqual(await projectObjects(engine, PROJECT, 'network'), []);
  });
});
