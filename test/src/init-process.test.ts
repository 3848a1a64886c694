// SPDX-License-Identifier: Apache-2.0
// `--init` end to end: a real daemon runs containers under tini (bound at /sbin/docker-init) as PID 1, through
// tsc-engine's CLI, the real docker CLI and compose's `init: true`. The init forwards the stop signal, reaps
// orphans, and a missing init binary fails create with an error naming it.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { dockerCli } from './support/docker-cli.js';
import { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

interface Inspected {
  HostConfig: { Init?: boolean | null };
  State: { Status: string; ExitCode: number };
}

/** `ps -o pid,ppid,args` rows as [pid, ppid, args]. */
function processes(psOutput: string): [number, number, string][] {
  return psOutput
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line) ?? assert.fail(`not a ps row: ${line}`);
      return [Number(pid), Number(ppid), args.trim()];
    });
}

describe('--init', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  const cli = (...args: string[]): Promise<string> => engine.cliOk(args);
  const inspect = async (id: string): Promise<Inspected> => (JSON.parse(await cli('inspect', id)) as Inspected[])[0];
  /** States (R, S, Z, …) of every process in the container, read from /proc as ps may not show zombies' state. */
  const processStates = async (id: string): Promise<string[]> =>
    (await cli('exec', id, 'sh', '-c', 'cat /proc/[0-9]*/stat')).split('\n').filter(Boolean).map((line) => line.slice(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3));

  before(async () => {
    setup = await startEngineWithImages({ packages: ['tini'] });
    ({ engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('tsc-engine run --init runs docker-init as PID 1 with the command as its child', async () => {
    const rows = processes(await cli('run', '--rm', '--network', 'none', '--init', busybox, 'ps', '-o', 'pid,ppid,args'));
    assert.deepEqual(rows[0], [1, 0, '/sbin/docker-init -- ps -o pid,ppid,args'], JSON.stringify(rows));
    assert.ok(rows.some(([, ppid, args]) => ppid === 1 && args === 'ps -o pid,ppid,args'), JSON.stringify(rows));
  });

  it('forwards the stop signal: stop ends `sleep` at once, with 143, and inspect shows HostConfig.Init', async () => {
    const id = (await cli('run', '-d', '--network', 'none', '--init', busybox, 'sleep', '1000')).trim();
    assert.equal((await inspect(id)).HostConfig.Init, true);
    const started = Date.now();
    await cli('stop', id);
    // Without an init, `sleep` as PID 1 ignores SIGTERM and stop waits out its 10 s before it kills.
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `stop took ${elapsed} ms`);
    const { State } = await inspect(id);
    assert.deepEqual([State.Status, State.ExitCode], ['exited', 143]);
  });

  it('reaps orphans that a plain PID 1 leaves as zombies', async () => {
    // The subshell exits at once, orphaning `sleep 0.1` to PID 1; `exec sleep` never waits for children.
    const command = ['sh', '-c', '(sleep 0.1 &); exec sleep 1000'];
    const [withInit, without] = await Promise.all([
      cli('run', '-d', '--network', 'none', '--init', busybox, ...command),
      cli('run', '-d', '--network', 'none', busybox, ...command),
    ]);
    await delay(1000);
    assert.ok((await processStates(without.trim())).includes('Z'), 'the scenario leaves a zombie without an init');
    assert.deepEqual((await processStates(withInit.trim())).filter((state) => state === 'Z'), []);
    await cli('rm', '-f', withInit.trim(), without.trim());
  });

  it('works from the real docker CLI: docker run --init, docker inspect', async () => {
    const docker = (...args: string[]): Promise<string> => dockerCli(engine, setup.dir).ok(args);
    const id = (await docker('run', '-d', '--network', 'none', '--init', busybox, 'sleep', '1000')).trim();
    assert.equal((await docker('inspect', '-f', '{{.HostConfig.Init}}', id)).trim(), 'true');
    assert.equal((await docker('exec', id, 'cat', '/proc/1/cmdline')).split('\0').join(' ').trim(), '/sbin/docker-init -- sleep 1000');
    await docker('rm', '-f', id);
  });

  it('runs a compose service with `init: true` under docker-init, with no warning about the key', async () => {
    const file = join(setup.dir, 'compose.yaml');
    await writeFile(file, `services:\n  app:\n    image: ${busybox}\n    init: true\n    network_mode: none\n    command: ["sleep", "1000"]\n`);
    const compose = async (...args: string[]) => {
      const result = await engine.cli(['compose', '-f', file, '-p', 'initproject', ...args]);
      assert.equal(result.code, 0, `compose ${args.join(' ')}: ${result.stderr}`);
      return result;
    };
    const config = await compose('config');
    assert.doesNotMatch(config.stderr, /not supported/);
    assert.match(config.stdout, /init: true/);
    await compose('up', '-d');
    try {
      const id = (await cli('ps', '-q', '--filter', 'label=com.docker.compose.project=initproject')).trim();
      assert.equal((await inspect(id)).HostConfig.Init, true);
      assert.equal((await cli('exec', id, 'cat', '/proc/1/cmdline')).split('\0').join(' ').trim(), '/sbin/docker-init -- sleep 1000');
    } finally {
      await compose('down', '-t', '1');
    }
  });

  it('fails create with an error naming a missing init-path; --no-init overrides the daemon default', async () => {
    const missing = join(setup.dir, 'no-such-tini');
    const other = await EngineDaemon.start({ config: { init: true, 'init-path': missing } });
    try {
      await other.cliOk(['pull', busybox]);
      const create = await other.cli(['create', '--network', 'none', busybox, 'true']);
      assert.notEqual(create.code, 0);
      assert.ok(create.stderr.includes(`"${missing}"`), create.stderr);
      assert.match(create.stderr, /install tini/);
      assert.match(create.stderr, /init-path/);
      const run = await other.cli(['run', '--rm', '--network', 'none', '--no-init', busybox, 'cat', '/proc/1/cmdline']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, 'cat\0/proc/1/cmdline\0');
    } finally {
      await other.stop();
    }
  });
});
