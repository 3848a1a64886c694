// SPDX-License-Identifier: Apache-2.0
// Real conmon, real runc, as root, on busybox bundles.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { ConmonSupervisor } from './conmon-supervisor.js';
import type { LogEntry, LogReadOptions } from './supervisor.js';
import { TestHost } from './testing/busybox-bundle.js';

const run = promisify(execFile);

describe('ConmonSupervisor', () => {
  let host: TestHost;
  let supervisor: ConmonSupervisor;
  const created: string[] = [];

  const newSupervisor = (): ConmonSupervisor => {
    const registry = new RuntimeRegistry();
    registry.register(host.runtime);
    return new ConmonSupervisor(host.config, registry);
  };

  /** Creates and starts a task from a busybox bundle; returns its id and log path. */
  const startTask = async (...args: Parameters<TestHost['bundle']>) => {
    const { id, bundle, logPath } = await host.bundle(...args);
    created.push(id);
    const info = await supervisor.create({ id, bundle, runtime: host.runtime, logPath });
    await supervisor.start(id);
    return { id, logPath, info };
  };

  const readAll = async (id: string, logPath: string, options: LogReadOptions = {}, s?: AbortSignal): Promise<LogEntry[]> => {
    const entries: LogEntry[] = [];
    for await (const entry of supervisor.readLog(id, logPath, options, s)) entries.push(entry);
    return entries;
  };
  const text = (entries: LogEntry[]): string => entries.map((e) => e.data.toString()).join('');

  before(async () => {
    host = await TestHost.create();
    supervisor = newSupervisor();
  });

  after(async () => {
    for (const id of created) await supervisor.delete(id).catch(() => undefined);
    await host.cleanup();
  });

  it('runs a task to completion and reports its exit code', async () => {
    const ok = await startTask({ cmd: ['true'] });
    assert.ok(ok.info.pid > 0 && ok.info.monitorPid > 0 && ok.info.monitorPid !== process.pid);
    assert.equal((await supervisor.wait(ok.id)).exitCode, 0);
    const three = await startTask({ cmd: ['sh', '-c', 'exit 3'] });
    const exit = await supervisor.wait(three.id);
    assert.equal(exit.exitCode, 3);
    assert.ok(Math.abs(exit.exitedAt.getTime() - Date.now()) < 10_000);
    assert.deepEqual(await supervisor.exitStatus(three.id), exit);
  });

  it('reports a task ended by signal N as 128+N', async () => {
    // PID 1 of a pid namespace ignores TERM without a handler (Docker needs --init for that), so the TERM case
    // shares the host's pid namespace; KILL ends any PID 1.
    const term = await startTask({ cmd: ['sleep', '100'] }, (spec) => {
      spec.linux.namespaces = spec.linux.namespaces.filter((ns) => ns.type !== 'pid');
    });
    const killed = await startTask({ cmd: ['sleep', '100'] });
    const waits = [supervisor.wait(term.id), supervisor.wait(term.id), supervisor.wait(killed.id)];
    await supervisor.kill(term.id, 'TERM');
    await supervisor.kill(killed.id, 'KILL');
    const [t1, t2, k] = await Promise.all(waits);
    assert.equal(t1.exitCode, 143);
    assert.deepEqual(t2, t1);
    assert.equal(k.exitCode, 137);
    await assert.rejects(supervisor.kill(killed.id, 'KILL'), (e) => errorCodeOf(e) === 'conflict' || errorCodeOf(e) === 'not-found');
  });

  it('captures stdout and stderr with timestamps and reads them back', async () => {
    const before = new Date();
    const task = await startTask({ cmd: ['sh', '-c', 'echo out1; echo err1 >&2; printf part; sleep 0.2; echo ial; echo out2'] });
    await supervisor.wait(task.id);
    const all = await readAll(task.id, task.logPath);
    assert.equal(text(all.filter((e) => e.stream === 'stdout')), 'out1\npartial\nout2\n');
    assert.deepEqual(all.filter((e) => e.stream === 'stderr').map((e) => e.data.toString()), ['err1\n']);
    for (const entry of all) {
      assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d$/);
      assert.ok(Date.parse(entry.time) >= before.getTime() - 1000);
    }
    assert.equal(text(await readAll(task.id, task.logPath, { stderr: false })), 'out1\npartial\nout2\n');
    assert.equal(text(await readAll(task.id, task.logPath, { stdout: false })), 'err1\n');
    assert.equal(text(await readAll(task.id, task.logPath, { tail: 2 })), 'partial\nout2\n');
    assert.equal((await readAll(task.id, task.logPath, { since: new Date(Date.now() + 60_000) })).length, 0);
    assert.equal((await readAll(task.id, task.logPath, { until: new Date(before.getTime() - 60_000) })).length, 0);
    const lastTime = new Date(Date.parse(all.at(-1)!.time));
    assert.equal(text(await readAll(task.id, task.logPath, { since: lastTime })), 'out2\n');
  });

  it('follows a log until the task exits', async () => {
    const task = await startTask({ cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; sleep 0.1; done'] });
    const entries = await readAll(task.id, task.logPath, { follow: true });
    assert.equal(text(entries), 'line1\nline2\nline3\nline4\nline5\n');
    assert.equal((await supervisor.exitStatus(task.id))?.exitCode, 0);
  });

  it('stops following when the signal aborts', async () => {
    const task = await startTask({ cmd: ['sh', '-c', 'echo first; sleep 100'] });
    const controller = new AbortController();
    const entries: LogEntry[] = [];
    for await (const entry of supervisor.readLog(task.id, task.logPath, { follow: true }, controller.signal)) {
      entries.push(entry);
      controller.abort();
    }
    assert.equal(text(entries), 'first\n');
    await supervisor.delete(task.id);
    assert.equal(await supervisor.exitStatus(task.id), undefined);
  });

  it('applies env, working directory and user from the spec', async () => {
    const task = await startTask({
      image: { Env: ['PATH=/bin', 'FROM_IMAGE=1', 'OVERRIDE=image'], User: 'root' },
      env: ['OVERRIDE=user'],
      user: 'app',
      workingDir: '/tmp',
      cmd: ['sh', '-c', 'id; pwd; env'],
      hostname: 'box',
    });
    await supervisor.wait(task.id);
    const lines = text(await readAll(task.id, task.logPath)).split('\n');
    assert.equal(lines[0], 'uid=1000(app) gid=1000(app) groups=50(staff)');
    assert.equal(lines[1], '/tmp');
    for (const variable of ['PATH=/bin', 'FROM_IMAGE=1', 'OVERRIDE=user', 'HOSTNAME=box']) assert.ok(lines.includes(variable), variable);
  });

  it('fails create with typed errors when the command cannot be run', async () => {
    for (const [cmd, code] of [[['no-such-command'], 'command-not-found'], [['/bin/not-executable'], 'cannot-invoke']] as const) {
      const { id, bundle, logPath } = await host.bundle({ cmd: [...cmd] });
      await assert.rejects(supervisor.create({ id, bundle, runtime: host.runtime, logPath }), (error: Error) => {
        assert.equal(errorCodeOf(error), code, error.message);
        assert.match(error.message, new RegExp(`create task ${id}: .*${cmd[0]}`));
        return true;
      });
      assert.equal(await host.runtime.state(id), undefined);
      await assert.rejects(supervisor.wait(id), (e) => errorCodeOf(e) === 'not-found');
    }
  });

  it("gives the task Docker's default capabilities and masks host paths", async () => {
    const task = await startTask({
      cmd: ['sh', '-c', 'grep CapEff /proc/self/status; wc -c < /proc/interrupts; ls /sys/firmware | wc -l; echo 1 2>/dev/null > /proc/sys/vm/drop_caches || echo ro'],
    });
    await supervisor.wait(task.id);
    const lines = text(await readAll(task.id, task.logPath)).split('\n');
    // Masked: /proc/interrupts reads empty, /sys/firmware lists nothing; read-only: /proc/sys refuses writes.
    assert.match(lines[0] ?? '', /^CapEff:\s+00000000a80425fb$/);
    assert.equal(lines[1]?.trim(), '0', lines.join('|'));
    assert.equal(lines[2]?.trim(), '0', lines.join('|'));
    assert.equal(lines[3], 'ro');
  });

  it('hands its tasks to a new supervisor on the same state directory', async () => {
    const task = await startTask({ cmd: ['sh', '-c', 'echo before; sleep 100'] });
    const done = await startTask({ cmd: ['sh', '-c', 'exit 5'] });
    await supervisor.wait(done.id);
    const successor = newSupervisor();
    const restored = await successor.restore();
    assert.deepEqual(restored.find((t) => t.id === task.id), task.info);
    assert.ok(restored.some((t) => t.id === done.id));
    assert.equal((await successor.exitStatus(done.id))?.exitCode, 5);
    assert.equal(await successor.exitStatus(task.id), undefined);
    assert.equal(text(await readAll(task.id, task.logPath)), 'before\n');
    const exit = successor.wait(task.id);
    await successor.kill(task.id, 'KILL');
    assert.equal((await exit).exitCode, 137);
    await successor.delete(task.id);
    await successor.delete(done.id);
    assert.deepEqual((await successor.restore()).filter((t) => t.id === task.id || t.id === done.id), []);
  });

  it('keeps a task running when the process that started it is killed with SIGKILL', async () => {
    const { id, bundle, logPath } = await host.bundle({ cmd: ['sh', '-c', 'echo alive; sleep 100'] });
    created.push(id);
    const script = fileURLToPath(new URL('./testing/start-task-then-hang.js', import.meta.url));
    const daemon = spawn(process.execPath, [script, JSON.stringify(host.config), host.runtime.command().args[1]!, id, bundle, logPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(daemon.stdout!, 'data')) as [Buffer];
    const task = JSON.parse(line.toString()) as { pid: number; monitorPid: number };
    daemon.kill('SIGKILL');
    await once(daemon, 'exit');
    assert.equal((await host.runtime.state(id))?.status, 'running');
    const successor = newSupervisor();
    assert.deepEqual((await successor.restore()).find((t) => t.id === id)?.pid, task.pid);
    assert.equal(text(await readAll(id, logPath)), 'alive\n');
    const exit = successor.wait(id);
    await successor.kill(id, 'KILL');
    assert.equal((await exit).exitCode, 137);
    await successor.delete(id);
  });

  it('adds little to the runtime alone (create+start+wait of `true`)', async (t) => {
    const rounds = 5;
    const { bundle } = await host.bundle({ cmd: ['true'], id: 'bench' });
    const raw: number[] = [];
    const supervised: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const runId = `bench-raw-${i}`;
      let start = performance.now();
      await run(host.runtime.command().path, [...host.runtime.command().args, 'run', '--bundle', bundle, runId]);
      raw.push(performance.now() - start);
      await host.runtime.delete(runId, { force: true });

      const id = `bench-sup-${i}`;
      created.push(id);
      start = performance.now();
      await supervisor.create({ id, bundle, runtime: host.runtime, logPath: `${host.dir}/logs/${id}.log` });
      await supervisor.start(id);
      assert.equal((await supervisor.wait(id)).exitCode, 0);
      supervised.push(performance.now() - start);
      await supervisor.delete(id);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    t.diagnostic(`runc run: median ${median(raw).toFixed(1)} ms; conmon supervisor: median ${median(supervised).toFixed(1)} ms`);
    assert.ok(median(supervised) - median(raw) < 150, `overhead ${median(supervised) - median(raw)} ms`);
  });
});
