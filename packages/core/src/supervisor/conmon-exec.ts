// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { runtimeError, runtimeErrorMessage } from '../runtime/runtime-error.js';
import type { OciProcess } from '../runtime/oci-spec.js';
import type { RuntimeCommand } from '../runtime/runtime.js';
import { connectAttachSocket } from './conmon-attach-socket.js';
import { resizeConmonTerminal } from './conmon-terminal.js';
import type { TaskExecProcess } from './supervisor.js';

export interface ConmonExecOptions {
  conmon: string;
  runtime: RuntimeCommand;
  taskId: string;
  /** The exec's own directory: conmon's bundle for it (attach socket, control FIFO) and the process spec. */
  dir: string;
  process: OciProcess;
  /** Let the caller write to the process's stdin. */
  stdin: boolean;
}

/** A message of conmon's pipe protocol with `--api-version 1`: `{"data": N, "message": "…"}` per line. */
interface PipeMessage {
  data: number;
  message?: string;
}

/**
 * Runs an exec under a conmon of its own, as podman does for `exec -t`: conmon receives the terminal's master from
 * the runtime's console socket and relays it through its attach socket. With `--exec-attach` conmon holds the
 * runtime back until told to go on its start pipe, which is done once the daemon has attached, so the first
 * output (a shell's prompt) is not lost. conmon reports the pid, then the exit status, on its sync pipe.
 */
export async function execUnderConmon(options: ConmonExecOptions): Promise<TaskExecProcess> {
  const { dir, runtime } = options;
  const processFile = join(dir, 'process.json');
  await writeFile(processFile, JSON.stringify(options.process));
  const args = [
    '--api-version', '1',
    '--exec', '--exec-attach', '--exec-process-spec', processFile,
    '-c', options.taskId, '-u', `exec-${dir.split('/').at(-1)}`,
    '-r', runtime.path,
    ...runtime.args.map((arg) => `--runtime-arg=${arg}`),
    '-b', dir,
    '-p', join(dir, 'exec.pid'),
    '--full-attach',
    '-l', 'none',
    '--log-level', 'warn',
    ...(options.process.terminal ? ['-t'] : []),
    ...(options.stdin ? ['-i'] : []),
  ];
  const diagnostics = await open(join(dir, 'conmon.log'), 'a');
  const { NOTIFY_SOCKET: _notify, ...env } = process.env;
  const child = spawn(options.conmon, args, {
    // sync, start and attach pipes, in conmon's order of _OCI_* variables below.
    stdio: ['ignore', 'ignore', diagnostics.fd, 'pipe', 'pipe', 'pipe'],
    env: { ...env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', _OCI_ATTACHPIPE: '5' },
    detached: true,
  });
  await diagnostics.close();
  child.unref();
  child.on('error', () => undefined);
  const pipes = child.stdio as unknown as [unknown, unknown, unknown, Readable, Writable, Readable];
  const sync = new PipeReader(pipes[3]);
  const startPipe = pipes[4];
  const attachPipe = new PipeReader(pipes[5]);
  startPipe.on('error', () => undefined);

  const failure = async (context: string, message?: string): Promise<Error> => {
    const output = message ?? (await readFile(join(dir, 'conmon.log'), 'utf8').catch(() => ''));
    sync.close();
    attachPipe.close();
    startPipe.destroy();
    return runtimeError(`exec in task ${options.taskId}`, runtimeErrorMessage(output) || context);
  };

  // First write: conmon waits for it before it forks (podman moves it to a cgroup meanwhile).
  startPipe.write('{"data":0}\n');
  const ready = await attachPipe.next();
  if (!ready || ready.data < 0) throw await failure('conmon exited before its attach socket was ready', ready?.message);
  attachPipe.close();
  const attachment = await connectAttachSocket(join(dir, 'attach')).catch(async (error: unknown) => {
    throw await failure((error as Error).message);
  });
  // Second write: now attached, conmon lets the runtime's exec go.
  startPipe.end('{"data":0}\n');
  const started = await sync.next();
  if (!started || started.data <= 0) {
    attachment.close();
    throw await failure('the process did not start', started?.message);
  }
  const pid = started.data;
  const exit = sync.next().then((message) => {
    sync.close();
    // No second message means conmon died (killed) before it could report the status.
    return message && message.data >= 0 ? message.data : 255;
  });
  return {
    stdin: attachment.stdin,
    stdout: attachment.stdout,
    stderr: attachment.stderr,
    pid: Promise.resolve(pid),
    exit,
    kill(signal) {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    },
    resize: (size) => resizeConmonTerminal(dir, size),
  };
}

/** Reads conmon's newline-delimited JSON messages from one of its pipes. */
class PipeReader {
  private buffer = '';
  private ended = false;
  private waiting?: () => void;

  constructor(private readonly pipe: Readable) {
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    const end = (): void => {
      this.ended = true;
      this.wake();
    };
    pipe.once('end', end);
    pipe.once('close', end);
    pipe.once('error', end);
  }

  /** The next message, or undefined once the pipe has closed without one. */
  async next(): Promise<PipeMessage | undefined> {
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline !== -1) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        try {
          const message = JSON.parse(line) as PipeMessage;
          if (typeof message.data === 'number') return message;
        } catch {
          // Not a message; conmon writes nothing else, so skip it.
        }
        continue;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.pipe.destroy();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
