// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { runtimeError, runtimeErrorMessage, type RuntimeErrorOptions } from './runtime-error.js';
import type { RuntimeCommand } from './runtime.js';
import type { RuntimeExecOptions, RuntimeExecProcess } from './runtime-exec.js';

const PID_POLL_MS = 10;

export interface SpawnRuntimeExecOptions extends RuntimeExecOptions {
  /** The runtime as the monitor runs it; `exec --process … --pid-file … <id>` is appended. */
  command: RuntimeCommand;
  taskId: string;
  /** Context for errors: `runtime runc`. */
  what: string;
  isNotFound?: RuntimeErrorOptions['isNotFound'];
}

/**
 * Runs `<runtime> exec` as a child of the caller. The runtime writes the pid file only once the process runs, so
 * its presence tells the process's output from the runtime's own complaint: stderr is held back until then, and
 * when the runtime exits without having written it, what it said becomes the error of {@link RuntimeExecProcess.exit}.
 */
export async function spawnRuntimeExec(options: SpawnRuntimeExecOptions): Promise<RuntimeExecProcess> {
  const processFile = join(options.dir, 'process.json');
  const pidFile = join(options.dir, 'exec.pid');
  await writeFile(processFile, JSON.stringify(options.process));
  const { path, args } = options.command;
  const child = spawn(path, [...args, 'exec', '--process', processFile, '--pid-file', pidFile, options.taskId], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (!options.stdin) child.stdin.end();
  child.stdin.on('error', () => undefined);

  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  let running = true;
  void closed.then(() => (running = false));

  const readPid = async (): Promise<number | undefined> => {
    const text = await readFile(pidFile, 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    return pid > 0 ? pid : undefined;
  };
  let knownPid: number | undefined;
  const pid = (async () => {
    for (;;) {
      const wasRunning = running;
      const found = await readPid();
      if (found) return (knownPid = found);
      if (!wasRunning) throw new Error('the process did not start');
      await delay(PID_POLL_MS);
    }
  })();

  const stderr = new PassThrough();
  const held: Buffer[] = [];
  let released = false;
  child.stderr.on('data', (chunk: Buffer) => (released ? stderr.write(chunk) : held.push(chunk)));
  const release = (): void => {
    released = true;
    for (const chunk of held) stderr.write(chunk);
    held.length = 0;
  };
  pid.then(release, () => undefined);

  const exit = (async () => {
    const [{ code, signal }] = await Promise.all([closed, new Promise((resolve) => child.stderr.once('close', resolve))]);
    const started = await pid.then(() => true, () => false);
    if (!started) {
      stderr.end();
      const message = runtimeErrorMessage(Buffer.concat(held).toString('utf8')) || `exited with ${code ?? signal}`;
      throw runtimeError(options.what, message, { isNotFound: options.isNotFound });
    }
    release();
    stderr.end();
    return code ?? 128 + (signal ? constants.signals[signal] : 0);
  })();
  // A caller that only reads the output must not see an unhandled rejection from promises it ignores.
  pid.catch(() => undefined);
  exit.catch(() => undefined);

  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr,
    pid,
    exit,
    kill(signal) {
      try {
        if (knownPid) process.kill(knownPid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    },
  };
}
