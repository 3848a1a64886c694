// SPDX-License-Identifier: Apache-2.0
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCodeOf } from '../errors/engine-error.js';
import { DEFAULT_SECCOMP_PROFILE_PATH, readSeccompProfile, SECCOMP_PROFILE_PACKAGE } from '../runtime/seccomp-profile.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import type { Runtime } from '../runtime/runtime.js';
import { ConmonSupervisor } from '../supervisor/conmon-supervisor.js';
import type { LogEntry } from '../supervisor/supervisor.js';
import { TestHost } from '../supervisor/testing/busybox-bundle.js';

/** What a runtime under test is built from: a private state directory (its `--root`). */
export interface RuntimeConformanceContext {
  stateDir: string;
}

export type RuntimeFactory = (context: RuntimeConformanceContext) => Runtime | Promise<Runtime>;

/**
 * The behaviour every `tsc-engine.runtime.v1` plugin must have, checked for real: busybox bundles run by the
 * runtime under conmon (the engine's supervisor), as root. Call it at the top level of a test file:
 *
 * ```ts
 * runtimeConformance('youki', ({ stateDir }) => new YoukiRuntime({ path: findExecutable('youki'), root: stateDir }));
 * ```
 *
 * Covers probe and info, the task lifecycle and runtime state, pause and resume, exit codes, signals, stdout/stderr in the log, env,
 * working directory and user, typed errors for commands that cannot run and for unknown ids, and a task that
 * outlives the supervisor that started it. Needs root, conmon and busybox-static (installed when missing).
 */
export function runtimeConformance(name: string, factory: RuntimeFactory): void {
  describe(`runtime conformance: ${name}`, () => {
    let host: TestHost;
    let runtime: Runtime;
    let supervisor: ConmonSupervisor;
    const created: string[] = [];

    const newSupervisor = (): ConmonSupervisor => {
      const registry = new RuntimeRegistry();
      registry.register(runtime);
      return new ConmonSupervisor(host.config, registry);
    };

    /** Creates (and unless told otherwise starts) a task running `cmd` in a busybox bundle. */
    const task = async (options: Parameters<TestHost['bundle']>[0], adjust?: (spec: OciSpec) => void, start = true) => {
      const { id, bundle, logPath } = await host.bundle(options, adjust, runtime);
      created.push(id);
      const info = await supervisor.create({ id, bundle, runtime, logPath });
      if (start) await supervisor.start(id);
      return { id, logPath, info };
    };

    const output = async (id: string, logPath: string, from: ConmonSupervisor = supervisor): Promise<LogEntry[]> => {
      const entries: LogEntry[] = [];
      for await (const entry of from.readLog(id, logPath, {})) entries.push(entry);
      return entries;
    };
    const text = (entries: LogEntry[], stream?: LogEntry['stream']): string =>
      entries.filter((e) => !stream || e.stream === stream).map((e) => e.data.toString()).join('');

    before(async () => {
      host = await TestHost.create();
      runtime = await factory({ stateDir: join(host.dir, `runtime-${name}`) });
      await runtime.probe();
      supervisor = newSupervisor();
    });

    after(async () => {
      for (const id of created) await supervisor?.delete(id).catch(() => undefined);
      await host?.cleanup();
    });

    it('probes and describes itself', async () => {
      const info = await runtime.info();
      assert.equal(info.id, runtime.id);
      assert.ok(isAbsolute(info.path), info.path);
      assert.ok(info.version.length > 0);
      assert.ok(info.features === undefined || (typeof info.features === 'object' && info.features !== null));
      assert.ok(isAbsolute(runtime.command().path));
    });

    it('walks the lifecycle: created, running, stopped, deleted', async () => {
      const t = await task({ cmd: ['sleep', '100'] }, undefined, false);
      const created = await runtime.state(t.id);
      assert.equal(created?.status, 'created');
      assert.equal(created?.pid, t.info.pid);
      await supervisor.start(t.id);
      assert.equal((await runtime.state(t.id))?.status, 'running');
      const exit = supervisor.wait(t.id);
      await runtime.kill(t.id, 'KILL');
      assert.equal((await exit).exitCode, 137);
      assert.equal((await runtime.state(t.id))?.status, 'stopped');
      await supervisor.delete(t.id);
      assert.equal(await runtime.state(t.id), undefined);
    });

    it('pauses every process of a task and resumes them', async () => {
      const t = await task({ cmd: ['sh', '-c', 'while :; do echo tick; sleep 0.05; done'] });
      const ticks = async () => text(await output(t.id, t.logPath)).length;
      await delay(200);
      await runtime.pause(t.id);
      assert.equal((await runtime.state(t.id))?.status, 'paused');
      const frozen = await ticks();
      await delay(300);
      assert.equal(await ticks(), frozen, 'no output while paused');
      await runtime.resume(t.id);
      assert.equal((await runtime.state(t.id))?.status, 'running');
      await delay(300);
      assert.ok((await ticks()) > frozen, 'output again once resumed');
      const exit = supervisor.wait(t.id);
      await runtime.kill(t.id, 'KILL', { all: true });
      assert.equal((await exit).exitCode, 137);
    });

    it('reports exit codes', async () => {
      const ok = await task({ cmd: ['true'] });
      const three = await task({ cmd: ['sh', '-c', 'exit 3'] });
      assert.equal((await supervisor.wait(ok.id)).exitCode, 0);
      assert.equal((await supervisor.wait(three.id)).exitCode, 3);
    });

    it('delivers signals: TERM to a process with the default action, KILL to any PID 1', async () => {
      // A PID 1 ignores TERM without a handler, so the TERM task shares the host's pid namespace.
      const term = await task({ cmd: ['sleep', '100'] }, (spec) => {
        spec.linux.namespaces = spec.linux.namespaces.filter((ns) => ns.type !== 'pid');
      });
      const killed = await task({ cmd: ['sh', '-c', 'sleep 100 & wait'] });
      const exits = [supervisor.wait(term.id), supervisor.wait(killed.id)];
      await runtime.kill(term.id, 'TERM');
      await runtime.kill(killed.id, 'KILL', { all: true });
      const [t, k] = await Promise.all(exits);
      assert.equal(t.exitCode, 143);
      assert.equal(k.exitCode, 137);
    });

    it('passes stdout and stderr to the log', async () => {
      const t = await task({ cmd: ['sh', '-c', 'echo out; echo err >&2; echo more'] });
      await supervisor.wait(t.id);
      const entries = await output(t.id, t.logPath);
      assert.equal(text(entries, 'stdout'), 'out\nmore\n');
      assert.equal(text(entries, 'stderr'), 'err\n');
    });

    it('applies env, working directory and user', async () => {
      const t = await task({
        image: { Env: ['PATH=/bin', 'FROM_IMAGE=1'] },
        env: ['FROM_USER=2'],
        user: 'app',
        workingDir: '/tmp',
        cmd: ['sh', '-c', 'id; pwd; env'],
      });
      await supervisor.wait(t.id);
      const lines = text(await output(t.id, t.logPath)).split('\n');
      assert.equal(lines[0], 'uid=1000(app) gid=1000(app) groups=50(staff)');
      assert.equal(lines[1], '/tmp');
      for (const variable of ['PATH=/bin', 'FROM_IMAGE=1', 'FROM_USER=2']) assert.ok(lines.includes(variable), variable);
    });

    it("confines the task with Debian's default seccomp profile", async () => {
      if (!existsSync(DEFAULT_SECCOMP_PROFILE_PATH)) execFileSync('apt-get', ['install', '-y', '-q', SECCOMP_PROFILE_PACKAGE], { stdio: 'ignore' });
      // personality(ADDR_NO_RANDOMIZE) matches none of the profile's rules, so it gets the default errno (ENOSYS).
      const t = await task({
        cmd: ['sh', '-c', 'grep ^Seccomp: /proc/self/status; busybox linux64 -R true || echo denied'],
        seccomp: await readSeccompProfile(DEFAULT_SECCOMP_PROFILE_PATH),
      });
      await supervisor.wait(t.id);
      const entries = await output(t.id, t.logPath);
      assert.equal(text(entries, 'stdout'), 'Seccomp:\t2\ndenied\n');
      assert.match(text(entries, 'stderr'), /personality\(0x40000\): Function not implemented/);
    });

    it("fails with Docker's error classes when the command cannot run", async () => {
      for (const [cmd, code] of [[['no-such-command'], 'command-not-found'], [['/bin/not-executable'], 'cannot-invoke']] as const) {
        const { id, bundle, logPath } = await host.bundle({ cmd: [...cmd] }, undefined, runtime);
        created.push(id);
        // runc reports exec failures at create, crun at start: either is Docker's behaviour.
        const failure = await supervisor
          .create({ id, bundle, runtime, logPath })
          .then(() => supervisor.start(id))
          .then(() => undefined, (error: unknown) => error);
        assert.equal(errorCodeOf(failure), code, String(failure));
        await supervisor.delete(id);
      }
    });

    it('treats unknown task ids as not found', async () => {
      assert.equal(await runtime.state('no-such-task'), undefined);
      await assert.rejects(runtime.kill('no-such-task', 'TERM'), (e) => errorCodeOf(e) === 'not-found');
      await runtime.delete('no-such-task');
    });

    it('keeps a task running for a new supervisor, as after a daemon restart', async () => {
      const t = await task({ cmd: ['sh', '-c', 'echo before; sleep 100'] });
      const successor = newSupervisor();
      assert.deepEqual((await successor.restore()).find((r) => r.id === t.id), t.info);
      assert.equal((await runtime.state(t.id))?.status, 'running');
      assert.equal(await successor.exitStatus(t.id), undefined);
      // The kill must come after the echo, which a task just started may not have reached.
      for (let i = 0; i < 100 && text(await output(t.id, t.logPath, successor)) === ''; i++) await delay(50);
      const exit = successor.wait(t.id);
      await successor.kill(t.id, 'KILL');
      assert.equal((await exit).exitCode, 137);
      assert.equal(text(await output(t.id, t.logPath, successor)), 'before\n');
      await successor.delete(t.id);
    });
  });
}
