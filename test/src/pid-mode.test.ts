// SPDX-License-Identifier: Apache-2.0
// `--pid host` and `--pid container:x` (and compose's `pid:`) end to end: a real daemon runs busybox under runc in
// the host's PID namespace or in another container's, through the real docker CLI, tsc-engine's CLI and compose.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiCall } from './support/api-call.js';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { waitFor } from './support/wait-for.js';

interface Inspected {
  Id: string;
  HostConfig: { PidMode: string };
  State: { Status: string };
}

/** The last column (CMD, or ps's `args`) of a `docker top` or `compose top` table: one entry a process. */
function topCommands(table: string): string[] {
  const [header = '', ...rows] = table.trim().split('\n');
  const column = header.trim().split(/\s+/).length - 1;
  return rows.map((row) => row.trim().split(/\s+/).slice(column).join(' '));
}

/** A shell command printing the command line of PID `pid` as seen from inside the container, NULs as spaces. */
const cmdlineOf = (pid: number | string) => ['sh', '-c', `tr '\\0' ' ' < /proc/${pid}/cmdline`];

describe('PID modes', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let docker: DockerCli;
  let busybox: string;
  /** The host's PID 1, as its command line reads from a container that shares the host's namespace. */
  let hostInit: string;

  const cli = (...args: string[]) => engine.cliOk(args);
  const inspect = async (name: string) => (JSON.parse(await cli('inspect', name)) as Inspected[])[0];

  before(async () => {
    setup = await startEngineWithImages({ packages: ['tini'] });
    ({ engine, busybox } = setup);
    docker = dockerCli(engine, setup.dir);
    hostInit = (await readFile('/proc/1/cmdline', 'utf8')).replaceAll('\0', ' ');
  });

  after(() => setup?.stop());

  it('docker run --pid host sees the host\'s processes: its PID 1 and this test\'s own process', async () => {
    const seen = await docker.ok(['run', '--rm', '--network', 'none', '--pid', 'host', busybox, 'sh', '-c', `tr '\\0' ' ' < /proc/1/cmdline; echo; cat /proc/${process.pid}/comm`]);
    assert.deepEqual(seen.split('\n'), [hostInit, 'node', '']);
    // Without it the container is PID 1 of a namespace of its own, and inspect says so with an empty PidMode.
    const id = (await docker.ok(['create', '--network', 'none', busybox, 'true'])).trim();
    assert.equal((await inspect(id)).HostConfig.PidMode, '');
    assert.equal(await docker.ok(['start', '-a', id]), '');
    assert.equal(await cli('run', '--rm', '--network', 'none', busybox, 'sh', '-c', 'echo $$'), '1\n');
  });

  it('tsc-engine run --pid host, with and without --init, and inspect shows the mode', async () => {
    assert.equal(await cli('run', '--rm', '--network', 'none', '--pid', 'host', busybox, ...cmdlineOf(1)), hostInit);
    // As with Docker the init still runs the command (tini warns that it is not PID 1 and cannot reap).
    const underInit = await cli('run', '--rm', '--network', 'none', '--init', '--pid', 'host', busybox, 'sh', '-c', `tr '\\0' ' ' < /proc/$PPID/cmdline; echo; tr '\\0' ' ' < /proc/1/cmdline`);
    const [parent, init] = underInit.split('\n');
    assert.match(parent, /^\/sbin\/docker-init -- sh -c /);
    assert.equal(init, hostInit);
    const id = (await cli('create', '--network', 'none', '--pid', 'host', busybox, 'true')).trim();
    assert.equal((await inspect(id)).HostConfig.PidMode, 'host');
    await cli('rm', id);
  });

  it('docker top of a --pid host container lists its own processes, its execs too, not the host\'s', async () => {
    await docker.ok(['run', '-d', '--name', 'pid-host-top', '--network', 'none', '--pid', 'host', busybox, 'sleep', '300']);
    try {
      await docker.ok(['exec', '-d', 'pid-host-top', 'sleep', '299']);
      await waitFor(async () => topCommands(await docker.ok(['top', 'pid-host-top'])).length > 1);
      assert.deepEqual(topCommands(await docker.ok(['top', 'pid-host-top'])), ['sleep 300', 'sleep 299']);
      // Through the host's ps too, whose rows are kept by PID: the same two.
      assert.deepEqual(topCommands(await docker.ok(['top', 'pid-host-top', '-o', 'pid,args'])), ['sleep 300', 'sleep 299']);
    } finally {
      await cli('rm', '-f', 'pid-host-top');
    }
  });

  it('--pid container:x joins x\'s namespace, both ways, and dies with it; x must be running', async () => {
    await docker.ok(['run', '-d', '--name', 'pid-target', '--network', 'none', busybox, 'sleep', '300']);
    try {
      assert.equal(await docker.ok(['run', '--rm', '--network', 'none', '--pid', 'container:pid-target', busybox, ...cmdlineOf(1)]), 'sleep 300 ');
      await cli('run', '-d', '--name', 'pid-joiner', '--network', 'none', '--pid', 'container:pid-target', busybox, 'sleep', '301');
      assert.equal((await inspect('pid-joiner')).HostConfig.PidMode, 'container:pid-target');
      assert.match(await cli('exec', 'pid-target', 'ps', '-o', 'args'), /^sleep 301$/m);
      // They share a namespace, not a container: top of either lists its own process only.
      assert.deepEqual(topCommands(await docker.ok(['top', 'pid-target'])), ['sleep 300']);
      assert.deepEqual(topCommands(await docker.ok(['top', 'pid-joiner'])), ['sleep 301']);
      // The namespace ends with its init, and the kernel kills what else is in it: the joiner too.
      await cli('stop', '-t', '0', 'pid-target');
      assert.equal((await cli('wait', 'pid-joiner')).trim(), '137');
      const refused = await docker(['run', '--rm', '--network', 'none', '--pid', 'container:pid-target', busybox, 'true']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /cannot join pid namespace of a non running container: container pid-target is exited/);
    } finally {
      await cli('rm', '-f', 'pid-target', 'pid-joiner');
    }
  });

  it('refuses an unknown PID mode, or a container that does not exist, at create, with moby\'s message', async () => {
    for (const mode of ['bogus', 'container:']) {
      const refused = await engine.cli(['create', '--pid', mode, busybox, 'true']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, new RegExp(`invalid PID mode: ${mode}`));
    }
    // A bad request (400) as moby's: it looks the container up at create, where start would answer 500.
    const missing = await apiCall(engine.socketPath, 'POST', '/containers/create', { Image: busybox, Cmd: ['true'], HostConfig: { PidMode: 'container:pid-nowhere' } });
    assert.equal(missing.res.statusCode, 400);
    assert.deepEqual(JSON.parse(missing.body.toString()), { message: 'No such container: pid-nowhere' });
    assert.match((await docker(['run', '--rm', '--pid', 'container:pid-nowhere', busybox, 'true'])).stderr, /Error response from daemon: No such container: pid-nowhere/);
  });

  it('compose: pid host, and pid service:x joining x\'s first container, started after it', async () => {
    const file = join(setup.dir, 'compose.yaml');
    const service = (name: string, command: string, pid?: string) => [
      `  ${name}:`,
      `    image: ${busybox}`,
      `    command: ["sleep", "${command}"]`,
      '    network_mode: none',
      '    stop_grace_period: 0s',
      ...(pid ? [`    pid: "${pid}"`] : []),
    ];
    // The joiner first: the implicit dependency, not the file's order, must start the target before it.
    await writeFile(file, ['services:', ...service('shared', '301', 'service:target'), ...service('target', '300'), ...service('hostpid', '302', 'host'), ''].join('\n'));
    const compose = (...args: string[]) => engine.cli(['compose', '-f', file, '-p', 'pidmodes', ...args]);
    const up = await compose('up', '-d');
    try {
      assert.equal(up.code, 0, up.stderr);
      assert.doesNotMatch(up.stderr, /not supported/);
      const target = await inspect('pidmodes-target-1');
      assert.equal((await inspect('pidmodes-shared-1')).HostConfig.PidMode, `container:${target.Id}`);
      assert.equal(await cli('exec', 'pidmodes-shared-1', ...cmdlineOf(1)), 'sleep 300 ');
      assert.equal((await inspect('pidmodes-hostpid-1')).HostConfig.PidMode, 'host');
      assert.equal(await cli('exec', 'pidmodes-hostpid-1', ...cmdlineOf(1)), hostInit);
      const top = await compose('top', 'hostpid');
      assert.equal(top.code, 0, top.stderr);
      assert.deepEqual(topCommands(top.stdout), ['sleep 302']);
    } finally {
      await compose('down', '-t', '0');
    }
  });
});
