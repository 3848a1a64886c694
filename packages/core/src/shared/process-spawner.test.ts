// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProcessFailedError, ProcessRunner } from './process-runner.js';
import { ProcessSpawner } from './process-spawner.js';

// The same behaviour whether the spawner or the daemon itself starts the command: that is what makes the fallback safe.
const withoutPython = () => Promise.resolve('/nonexistent/python3');
for (const mode of ['spawner', 'in-process'] as const) {
  describe(`ProcessRunner (${mode})`, () => {
    const warnings: string[] = [];
    const runner = new ProcessRunner(new ProcessSpawner(mode === 'spawner' ? undefined : withoutPython), (w) => warnings.push(w));
    after(() => runner.close());
    const run = runner.run.bind(runner);

    it(mode === 'spawner' ? 'starts the spawner without a warning' : 'warns once that python3 is missing', async () => {
      await Promise.all([run('/bin/true', []), run('/bin/true', [])]);
      await run('/bin/true', []);
      if (mode === 'spawner') assert.deepEqual(warnings, []);
      else {
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /^process spawner: python3 cannot be started \(spawn \/nonexistent\/python3 ENOENT\)/);
      }
    });

    it('returns stdout and stderr separately', async () => {
      assert.deepEqual(await run('/bin/sh', ['-c', 'echo out; echo err >&2']), { stdout: 'out\n', stderr: 'err\n' });
    });

    it('rejects a non-zero exit with its status and output', async () => {
      const error = await run('/bin/sh', ['-c', 'echo partial; echo broken >&2; exit 3']).catch((e: unknown) => e);
      assert.ok(error instanceof ProcessFailedError);
      assert.equal(error.code, 3);
      assert.equal(error.signal, null);
      assert.equal(error.stdout, 'partial\n');
      assert.equal(error.stderr, 'broken\n');
    });

    it('reports the signal that killed the command', async () => {
      const error = await run('/bin/sh', ['-c', 'kill -TERM $$']).catch((e: unknown) => e);
      assert.ok(error instanceof ProcessFailedError);
      assert.equal(error.code, null);
      assert.equal(error.signal, 'SIGTERM');
    });

    it('writes input to stdin and closes it; stdin is empty without input', async () => {
      assert.equal((await run('/bin/cat', [], { input: '{"cniVersion":"1.0.0"}' })).stdout, '{"cniVersion":"1.0.0"}');
      assert.equal((await run('/bin/cat', [])).stdout, '');
    });

    it('passes exactly the environment given, and the daemon’s by default', async () => {
      assert.equal((await run('/usr/bin/env', [], { env: { CNI_COMMAND: 'ADD' } })).stdout, 'CNI_COMMAND=ADD\n');
      process.env.TSC_SPAWNER_TEST = 'inherited';
      try {
        assert.match((await run('/usr/bin/env', [])).stdout, /^TSC_SPAWNER_TEST=inherited$/m);
      } finally {
        delete process.env.TSC_SPAWNER_TEST;
      }
    });

    it('runs in the working directory given', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'process-runner-'));
      after(() => rm(dir, { recursive: true, force: true }));
      assert.equal((await run('/bin/pwd', [], { cwd: dir })).stdout, `${dir}\n`);
    });

    it('fails like spawn for a command that does not exist', async () => {
      const error = (await run('/nonexistent/tool', ['x']).catch((e: unknown) => e)) as NodeJS.ErrnoException;
      assert.equal(error.code, 'ENOENT');
      assert.equal(error.errno, -2);
      assert.equal(error.syscall, 'spawn /nonexistent/tool');
      assert.equal(error.message, 'spawn /nonexistent/tool ENOENT');
    });

    it('runs jobs concurrently and gives each its own answer', async () => {
      const started = Date.now();
      const outputs = await Promise.all(Array.from({ length: 20 }, (_, i) => run('/bin/sh', ['-c', `sleep 0.3; echo ${i}`])));
      assert.deepEqual(outputs.map((o) => o.stdout), Array.from({ length: 20 }, (_, i) => `${i}\n`));
      assert.ok(Date.now() - started < 3000, 'jobs ran one after another');
    });

    it('carries binary-safe, larger output', async () => {
      const { stdout } = await run('/bin/sh', ['-c', 'head -c 3000000 /dev/zero | tr "\\0" a']);
      assert.equal(stdout.length, 3_000_000);
    });
  });
}

describe('ProcessSpawner', () => {
  it('fails the jobs in flight when it dies, and starts again for the next job', async () => {
    const { spawner, pid } = await startedSpawner();
    after(() => spawner.close());
    const dir = await mkdtemp(join(tmpdir(), 'process-spawner-'));
    after(() => rm(dir, { recursive: true, force: true }));
    const pidFile = join(dir, 'pid');
    const inFlight = spawner.run({ file: '/bin/sh', args: ['-c', `echo $$ > ${pidFile}; exec sleep 5`], env: {} });
    while (!(await readFile(pidFile, 'utf8').catch(() => '')).endsWith('\n')) await new Promise((r) => setTimeout(r, 10));
    process.kill(pid, 'SIGKILL');
    await assert.rejects(inFlight, /process spawner exited \(killed by SIGKILL\) while running \/bin\/sh/);
    // The orphaned job is not the spawner's to stop: the test cleans it up.
    process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
    const result = await spawner.run({ file: '/bin/echo', args: ['again'], env: {} });
    assert.equal(result.stdout.toString(), 'again\n');
    assert.notEqual(spawner.pid, pid);
  });

  it('survives the SIGINT and SIGTERM sent to the daemon’s process group, while its jobs get the default handling', async () => {
    const { spawner, pid } = await startedSpawner();
    after(() => spawner.close());
    process.kill(pid, 'SIGINT');
    process.kill(pid, 'SIGTERM');
    const result = await spawner.run({ file: '/bin/sh', args: ['-c', 'kill -INT $$; echo survived'], env: {} });
    assert.equal(result.signal, 'SIGINT');
    assert.equal(spawner.pid, pid);
  });

  it('exits when its stdin closes, so it never outlives the daemon', async () => {
    const { spawner, pid } = await startedSpawner();
    spawner.close();
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(pid), false);
  });
});

/** A spawner that has run a job, so its process is up. */
async function startedSpawner(): Promise<{ spawner: ProcessSpawner; pid: number }> {
  const spawner = new ProcessSpawner();
  await spawner.run({ file: '/bin/true', args: [], env: {} });
  const pid = spawner.pid;
  assert.ok(pid);
  return { spawner, pid };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
