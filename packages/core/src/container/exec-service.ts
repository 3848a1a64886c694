// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { inject, injectable } from 'inversify';
import type { ExecCreateRequest, ExecInspect } from '../api/exec.js';
import { ConflictError, InvalidArgumentError, NotFoundError, errorCodeOf } from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { consoleSize } from '../runtime/console-size.js';
import { Supervisor, type TaskExecProcess, type TerminalSize } from '../supervisor/supervisor.js';
import { containerEvent } from './container-event.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerService } from './container-service.js';

/** How long an exec that has ended stays inspectable (moby garbage-collects them on a 5-minute tick). */
const RETENTION_MS = 5 * 60_000;

/** An exec instance (`docker exec`), created first and started later, as the API splits it. */
interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecCreateRequest & { Cmd: string[] };
  running: boolean;
  exitCode: number | null;
  pid: number;
  process?: TaskExecProcess;
}

/** What happened to a started exec: its exit code, and the reason when the process could not even start. */
export interface ExecResult {
  exitCode: number;
  /** The runtime's message when the command could not be run (exit code 126 or 127, as Docker's). */
  error?: string;
}

/** A started exec's streams. Both outputs end when the process has exited and {@link result} is settled. */
export interface StartedExec {
  /** Open only when the exec was created with `AttachStdin`. */
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  result: Promise<ExecResult>;
  /** Signals the exec'd process (a healthcheck that timed out is SIGKILLed). */
  kill(signal: NodeJS.Signals): void;
  /** Whether the process runs on a terminal: its output is then all on `stdout`, raw. */
  tty: boolean;
  /**
   * Lets the process run on with no client: its output is drained so it never blocks on a full pipe. A client
   * that typed the detach keys is recorded with Docker's `exec_detach` event; one that went away is not.
   */
  detach(options?: { byDetachKeys?: boolean }): void;
}

/** How an exec is started (the body of `POST /exec/{id}/start`). */
export interface ExecStartOptions {
  /** The terminal's size from its creation, over the one given at create (API 1.42's start `ConsoleSize`). */
  consoleSize?: TerminalSize;
}

/**
 * Runs processes in running containers: `POST /containers/{id}/exec` creates an exec, `POST /exec/{id}/start`
 * runs it through the {@link Supervisor}, `GET /exec/{id}/json` tells its state and exit code. Execs live in
 * memory only: like Docker's, they do not survive the daemon (nor do their processes, see `TaskExecOptions`).
 */
@injectable()
export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(Supervisor) private readonly supervisor: Supervisor,
    @inject(EventBus) private readonly events: EventBus,
  ) {}

  /** Creates an exec in a running container and answers its id. */
  create(containerIdOrName: string, request: ExecCreateRequest): string {
    const container = this.runningContainer(containerIdOrName);
    if (!request.Cmd || request.Cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
    const exec: ExecRecord = {
      id: randomBytes(32).toString('hex'),
      containerId: container.id,
      config: { ...request, Cmd: request.Cmd },
      running: false,
      exitCode: null,
      pid: 0,
    };
    this.execs.set(exec.id, exec);
    this.publish(container, exec, `exec_create: ${exec.config.Cmd.join(' ')}`);
    return exec.id;
  }

  inspect(execId: string): ExecInspect {
    const exec = this.get(execId);
    const [entrypoint, ...args] = exec.config.Cmd;
    return {
      ID: exec.id,
      Running: exec.running,
      ExitCode: exec.exitCode,
      ProcessConfig: { tty: exec.config.Tty === true, entrypoint, arguments: args, privileged: exec.config.Privileged === true, user: exec.config.User || undefined },
      OpenStdin: exec.config.AttachStdin === true,
      OpenStderr: exec.config.AttachStderr === true,
      OpenStdout: exec.config.AttachStdout === true,
      CanRemove: exec.exitCode !== null,
      ContainerID: exec.containerId,
      DetachKeys: exec.config.DetachKeys ?? '',
      Pid: exec.pid,
    };
  }

  /**
   * Starts an exec. Rejects only when it cannot be started at all (unknown, already started, container not
   * running); a command the runtime cannot run ends in {@link StartedExec.result} with Docker's 126/127 instead,
   * because by then a client streaming the output has already been answered.
   */
  async start(execId: string, options: ExecStartOptions = {}): Promise<StartedExec> {
    return (await this.launch(execId, options)).streams;
  }

  /**
   * Starts an exec with no client attached (`docker exec -d`): its output is discarded, as Docker's. Resolves once
   * the process runs; rejects with the runtime's error when it cannot (the exec then ends with 126 or 127), since
   * unlike an attached start there is no stream left to report it on.
   */
  async startDetached(execId: string, options: ExecStartOptions = {}): Promise<void> {
    const { streams, started } = await this.launch(execId, options);
    streams.detach();
    await started;
  }

  /** Starts an exec; `started` settles once its process runs or has failed to. */
  private async launch(execId: string, options: ExecStartOptions): Promise<{ streams: StartedExec; started: Promise<void> }> {
    const exec = this.get(execId);
    if (exec.running) throw new ConflictError(`Exec command ${exec.id} is already running`);
    if (exec.exitCode !== null) throw new ConflictError(`Exec command ${exec.id} has already run`);
    const container = this.runningContainer(exec.containerId);
    exec.running = true;
    this.publish(container, exec, `exec_start: ${exec.config.Cmd.join(' ')}`);
    const tty = exec.config.Tty === true;
    let process: TaskExecProcess;
    try {
      process = await this.supervisor.exec(container.id, {
        args: exec.config.Cmd,
        env: exec.config.Env ?? undefined,
        workingDir: exec.config.WorkingDir || undefined,
        user: exec.config.User || undefined,
        stdin: exec.config.AttachStdin === true,
        tty,
        consoleSize: options.consoleSize ?? consoleSize(exec.config.ConsoleSize),
        privileged: exec.config.Privileged === true,
      });
    } catch (error) {
      const result = { exitCode: exitCodeFor(error), error: (error as Error).message };
      this.finish(container, exec, result.exitCode);
      const streams: StartedExec = {
        stdin: emptyStream(), stdout: emptyStream(), stderr: emptyStream(), result: Promise.resolve(result), kill: () => undefined, tty, detach: () => undefined,
      };
      return { streams, started: handled(Promise.reject(error)) };
    }
    exec.process = process;
    process.pid.then((pid) => (exec.pid = pid), () => undefined);
    // A process that never ran has no pid; its exit then rejects with the runtime's reason.
    const started = handled(process.pid.then(() => undefined, async () => void (await process.exit)));
    const result = process.exit.then(
      (exitCode): ExecResult => ({ exitCode }),
      (error: unknown): ExecResult => ({ exitCode: exitCodeFor(error), error: (error as Error).message }),
    );
    // The outputs end only once the exit is recorded, so a client that inspects the exec when its stream ends
    // (the docker CLI does, for the exit code) finds it.
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    process.stdout.pipe(stdout, { end: false });
    process.stderr.pipe(stderr, { end: false });
    const outputsDone = Promise.all([drained(process.stdout), drained(process.stderr)]);
    void Promise.all([result, outputsDone]).then(([settled]) => {
      this.finish(container, exec, settled.exitCode);
      stdout.end();
      stderr.end();
    });
    const detach = ({ byDetachKeys = false } = {}): void => {
      stdout.resume();
      stderr.resume();
      if (byDetachKeys) this.publish(container, exec, 'exec_detach');
    };
    const streams: StartedExec = { stdin: process.stdin, stdout, stderr, result, kill: (signal) => process.kill(signal), tty, detach };
    return { streams, started };
  }

  /** Sets the size of a running exec's terminal (`POST /exec/{id}/resize`); an exec without one ignores it. */
  async resize(execId: string, size: TerminalSize): Promise<void> {
    const exec = this.get(execId);
    if (!exec.process) throw new ConflictError(`Exec ${exec.id} is not running`);
    await exec.process.resize?.(size);
  }

  private finish(container: ContainerRecord, exec: ExecRecord, exitCode: number): void {
    exec.running = false;
    exec.exitCode = exitCode;
    exec.process = undefined;
    this.publish(container, exec, 'exec_die', { exitCode: String(exitCode) });
    setTimeout(() => this.execs.delete(exec.id), RETENTION_MS).unref();
  }

  private get(execId: string): ExecRecord {
    const exec = this.execs.get(execId);
    if (!exec) throw new NotFoundError(`No such exec instance: ${execId}`);
    return exec;
  }

  private runningContainer(idOrName: string): ContainerRecord {
    const container = this.containers.get(idOrName);
    if (container.state.paused) {
      throw new ConflictError(`Container ${container.id} is paused, unpause the container before exec`);
    }
    if (container.state.status !== 'running') throw new ConflictError(`container ${container.id} is not running`);
    return container;
  }

  private publish(container: ContainerRecord, exec: ExecRecord, action: string, extra: Record<string, string> = {}): void {
    this.events.publish(containerEvent(container, action, { execID: exec.id, ...extra }));
  }
}

/** Docker's exit codes for an exec that could not run: 127 command not found, 126 anything else. */
function exitCodeFor(error: unknown): number {
  return errorCodeOf(error) === 'command-not-found' ? 127 : 126;
}

/** `promise`, marked handled: only a detached start awaits it, and an attached one must not crash on its rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The output of an exec whose process never started. */
function emptyStream(): PassThrough {
  const stream = new PassThrough();
  stream.end();
  return stream;
}

/** Resolves when `stream` has delivered everything (or failed: a broken pipe ends an exec's output too). */
function drained(stream: Readable): Promise<void> {
  return finished(stream).catch(() => undefined);
}
