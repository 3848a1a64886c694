// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { ProcessSpawner, type SpawnerJob } from './process-spawner.js';

export interface RunProcessOptions {
  /** The whole environment of the command; the daemon's own when left out. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the command's stdin, which is then closed; without it stdin is /dev/null. */
  input?: string | Buffer;
}

export interface ProcessOutput {
  stdout: string;
  stderr: string;
}

/** A command that ran and failed: its exit status (or the signal that killed it) and everything it printed. */
export class ProcessFailedError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`command failed: ${command}: ${signal ? `killed by ${signal}` : `exit status ${code}`}${stderr ? `\n${stderr}` : ''}`);
    this.name = 'ProcessFailedError';
  }
}

/** Output past this is a bug in the caller's choice of command: only bounded-output commands come here. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs short, run-to-completion commands with bounded output (`ip`, `iptables`, `mount`, a CNI plugin, `runc
 * delete`): each resolves with its output, or rejects with a {@link ProcessFailedError} when it exits non-zero or is
 * killed, or with spawn's own error (`code: 'ENOENT'`) when it cannot be started. Long-lived or streaming processes
 * (conmon, `runc exec`) must keep using `spawn`.
 *
 * Commands are started by a {@link ProcessSpawner}, which keeps fork() off the daemon's main thread. Where python3
 * cannot be started, found out once at the first command, they are started from the daemon itself, with one warning.
 */
export class ProcessRunner {
  private mode: Promise<'spawner' | 'in-process'> | undefined;

  constructor(
    private readonly spawner: ProcessSpawner = new ProcessSpawner(),
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message),
  ) {}

  async run(file: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessOutput> {
    const job: SpawnerJob = { file, args, env: options.env ?? process.env, cwd: options.cwd, input: options.input };
    this.mode ??= this.spawner.ready().then(
      () => 'spawner' as const,
      (error: Error) => {
        this.warn(
          `process spawner: python3 cannot be started (${error.message}); helper commands now fork the daemon, ` +
            'which stalls it for a moment each (install python3-minimal)',
        );
        return 'in-process' as const;
      },
    );
    return (await this.mode) === 'spawner' ? this.runInSpawner(job) : runInProcess(job);
  }

  /** Stops the spawner, if it runs. */
  close(): void {
    this.spawner.close();
  }

  private async runInSpawner(job: SpawnerJob): Promise<ProcessOutput> {
    const result = await this.spawner.run(job);
    const stdout = result.stdout.toString('utf8');
    const stderr = result.stderr.toString('utf8');
    if (result.code === 0) return { stdout, stderr };
    throw new ProcessFailedError(commandLine(job), result.code, result.signal, stdout, stderr);
  }
}

const daemonRunner = new ProcessRunner();

/** Runs a short command with the daemon's {@link ProcessRunner}. */
export function runProcess(file: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessOutput> {
  return daemonRunner.run(file, args, options);
}

function runInProcess(job: SpawnerJob): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(job.file, job.args, { env: job.env, cwd: job.cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      // A number is an exit status; a string is spawn's errno code (ENOENT), passed on as spawn gave it.
      if (typeof error.code === 'string') return reject(error);
      reject(Object.assign(new ProcessFailedError(commandLine(job), error.code ?? null, error.signal ?? null, stdout, stderr), { cause: error }));
    });
    if (job.input === undefined) child.stdin?.end();
    else {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(job.input);
    }
  });
}

function commandLine(job: SpawnerJob): string {
  return [job.file, ...job.args].join(' ');
}
