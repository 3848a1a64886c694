// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
} from '../errors/engine-error.js';
import { findExecutable } from '../runtime/find-executable.js';
import { runtimeError, runtimeErrorMessage } from '../runtime/runtime-error.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import type { Runtime } from '../runtime/runtime.js';
import { ExitWatcher } from './exit-watcher.js';
import { processStartTime, signalNumber } from './init-signal.js';
import { readK8sLog } from './k8s-log-reader.js';
import { isMonitorAlive } from './monitor-process.js';
import { connectAttachSocket } from './conmon-attach-socket.js';
import { execUnderConmon } from './conmon-exec.js';
import { resizeConmonTerminal } from './conmon-terminal.js';
import type {
  LogEntry,
  LogReadOptions,
  Supervisor,
  TaskAttachment,
  TaskCreateOptions,
  TaskExecOptions,
  TaskExecProcess,
  TaskExit,
  TaskInfo,
  TerminalSize,
} from './supervisor.js';
import { execInTask } from './task-exec.js';

/** What the supervisor keeps on disk per task, so that a later daemon finds it again (`tasks/<id>/task.json`). */
interface TaskRecord extends TaskInfo {
  bundle: string;
  logPath: string;
  createdAt: string;
  /** When the task's init process started (see {@link processStartTime}); absent in records of older daemons. */
  initStartTime?: string;
}

/** conmon's answer on its sync pipe: the container's pid, or a negative number and the runtime's error. */
interface SyncMessage {
  data: number;
  message?: string;
}

/** A client waiting to attach to a task that is not created yet. */
interface PendingAttach {
  resolve(attachment: TaskAttachment): void;
  reject(error: unknown): void;
}

/** Exit status recorded for a task whose monitor died without recording one (it was killed). */
const UNKNOWN_EXIT = 255;
/** How long `delete` waits for a killed task to be reaped before it removes it anyway. */
const DELETE_WAIT_MS = 10_000;
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Runs each task under its own conmon (containers/conmon, as podman and CRI-O do). conmon double-forks away from
 * the daemon, runs the runtime's `create`, becomes the parent of the container process, writes its output to a
 * `k8s-file` log with timestamps and its exit status to `exits/<id>`; the daemon only reads files. Killing the
 * daemon therefore leaves containers, their logs and their exit codes intact, and a new daemon {@link restore}s
 * them from `<execRoot>/supervisor`:
 *
 * ```
 * tasks/<id>/task.json    this supervisor's record: pids, bundle, runtime id
 * tasks/<id>/conmon.pid   conmon's pid; tasks/<id>/exit is conmon's persist-dir copy of the exit status
 * exits/<id>              exit status as conmon writes it (decimal; 128+N for signal N), mtime = exit time
 * <bundle>/attach         conmon's attach socket (SOCK_SEQPACKET); <bundle>/ctl its control FIFO (terminal size)
 * execs/<random>/         an exec's process.json and pid file, while it runs
 * ```
 *
 * Constructor-injected (a leaf class inside core): the config gives the state directory, the registry the
 * runtime of tasks a previous daemon created.
 */
@injectable()
export class ConmonSupervisor implements Supervisor {
  private readonly stateDir: string;
  private readonly exitWatcher: ExitWatcher;
  private readonly records = new Map<string, TaskRecord>();
  private readonly runtimeOf = new Map<string, Runtime>();
  private readonly pendingAttaches = new Map<string, Set<PendingAttach>>();
  private conmonPath?: string;

  constructor(
    @inject(EngineConfig) config: EngineConfig,
    @inject(RuntimeRegistry) private readonly runtimes: RuntimeRegistry,
  ) {
    this.stateDir = join(config.execRoot, 'supervisor');
    this.exitWatcher = new ExitWatcher(this.exitDir(), (id) => this.checkExit(id));
  }

  async create(options: TaskCreateOptions): Promise<TaskInfo> {
    const { id, bundle, runtime, logPath } = options;
    if (!TASK_ID.test(id)) throw new InvalidArgumentError(`create task ${JSON.stringify(id)}: invalid task id`);
    const conmon = this.conmon();
    const existing = await this.load(id);
    if (existing && (await isMonitorAlive(existing.monitorPid, id))) {
      throw new AlreadyExistsError(`create task ${id}: task already exists`);
    }
    const taskDir = this.taskDir(id);
    await this.removeFiles(id);
    await Promise.all([
      mkdir(taskDir, { recursive: true }),
      mkdir(this.exitDir(), { recursive: true }),
      mkdir(this.socketDir(), { recursive: true }),
      mkdir(dirname(logPath), { recursive: true }),
    ]);
    const command = runtime.command();
    const args = [
      '--api-version', '1',
      '-c', id, '-u', id, '-n', id,
      '-r', command.path,
      ...command.args.map((arg) => `--runtime-arg=${arg}`),
      '-b', bundle,
      '-p', join(taskDir, 'pidfile'),
      '--conmon-pidfile', join(taskDir, 'conmon.pid'),
      '--exit-dir', this.exitDir(),
      '--persist-dir', taskDir,
      '--socket-dir-path', this.socketDir(),
      '-l', `k8s-file:${logPath}`,
      '--log-level', 'warn',
      '--full-attach',
      ...(options.terminal ? ['-t'] : []),
      ...(options.openStdin ? ['-i'] : []),
      // conmon closes stdin when an attached client ends its input unless told not to; Docker does only for StdinOnce
      // without a terminal.
      ...(options.openStdin && !(options.stdinOnce && !options.terminal) ? ['--leave-stdin-open'] : []),
    ];
    // conmon's own diagnostics go to a file: a pipe to the daemon would break (SIGPIPE) once the daemon is gone.
    const diagnostics = await open(join(taskDir, 'conmon.log'), 'a');
    let sync: SyncMessage | undefined;
    // conmon's first process writes conmon.pid after forking the monitor and then exits; the monitor may report on
    // the sync pipe before that, so the file is read only once that process is gone.
    let forked: Promise<unknown> = Promise.resolve();
    try {
      const { NOTIFY_SOCKET: _notify, ...env } = process.env;
      const child = spawn(conmon, args, {
        // conmon drops a second `oom` marker in its working directory: the task's, not wherever the daemon runs.
        cwd: taskDir,
        stdio: ['ignore', 'ignore', diagnostics.fd, 'pipe'],
        env: { ...env, _OCI_SYNCPIPE: '3' },
        detached: true,
      });
      child.unref();
      child.on('error', () => undefined);
      forked = once(child, 'exit').catch(() => undefined);
      sync = await readSyncMessage(child.stdio[3] as Readable);
    } finally {
      await diagnostics.close();
    }
    if (!sync || sync.data <= 0) {
      const output = sync?.message ?? (await readFile(join(taskDir, 'conmon.log'), 'utf8').catch(() => ''));
      await runtime.delete(id, { force: true }).catch(() => undefined);
      await this.removeFiles(id);
      throw runtimeError(`create task ${id}`, runtimeErrorMessage(output) || 'conmon exited without creating the container');
    }
    const [monitorPid, initStartTime] = await Promise.all([
      forked.then(async () => Number.parseInt(await readFile(join(taskDir, 'conmon.pid'), 'utf8'), 10)),
      processStartTime(sync.data),
    ]);
    const record: TaskRecord = {
      id, runtimeId: runtime.id, pid: sync.data, monitorPid, bundle, logPath, createdAt: new Date().toISOString(), initStartTime,
    };
    await this.save(record);
    this.runtimeOf.set(id, runtime);
    await this.attachPending(id, bundle);
    return taskInfo(record);
  }

  async start(id: string): Promise<void> {
    await this.runtimeFor(await this.loadExisting(id)).start(id);
  }

  async kill(id: string, signal: string, options?: { all?: boolean }): Promise<void> {
    const record = await this.loadExisting(id);
    if (!options?.all && (await signalInit(record, signal))) return;
    await this.runtimeFor(record).kill(id, signal, options);
  }

  async exec(id: string, options: TaskExecOptions): Promise<TaskExecProcess> {
    const record = await this.load(id);
    if (!record) throw new NotFoundError(`exec in task ${id}: no such task`);
    const runtime = this.runtimeFor(record);
    const conmon = options.tty ? this.conmon() : undefined;
    return execInTask(id, record.bundle, join(this.stateDir, 'execs'), options, (process, dir) =>
      conmon
        ? execUnderConmon({ conmon, runtime: runtime.command(), taskId: id, dir, process, stdin: options.stdin === true })
        : runtime.exec(id, { process, dir, stdin: options.stdin }),
    );
  }

  async attach(id: string, signal?: AbortSignal): Promise<TaskAttachment> {
    const record = await this.load(id);
    if (record && !(await this.readExitFile(id)) && (await isMonitorAlive(record.monitorPid, id))) {
      return connectAttachSocket(join(record.bundle, 'attach'));
    }
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const pending = this.pendingAttaches.get(id) ?? new Set<PendingAttach>();
      this.pendingAttaches.set(id, pending);
      const onAbort = (): void => {
        pending.delete(waiter);
        reject(signal?.reason);
      };
      const waiter: PendingAttach = {
        resolve: (attachment) => {
          signal?.removeEventListener('abort', onAbort);
          // A client that left while the connection was being made must not hold it.
          if (signal?.aborted) attachment.close();
          resolve(attachment);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      pending.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async resize(id: string, size: TerminalSize): Promise<void> {
    const record = await this.load(id);
    if (!record) throw new NotFoundError(`resize task ${id}: no such task`);
    await resizeConmonTerminal(record.bundle, size);
  }

  async wait(id: string, signal?: AbortSignal): Promise<TaskExit> {
    const exit = await this.readExitFile(id);
    if (exit) return exit;
    if (!(await this.load(id))) throw new NotFoundError(`wait for task ${id}: no such task`);
    return this.exitWatcher.wait(id, signal);
  }

  async exitStatus(id: string): Promise<TaskExit | undefined> {
    return (await this.readExitFile(id)) ?? (await this.checkExit(id));
  }

  /** Kills a task that still runs, waits for it to be reaped, then forgets it. Deleting an unknown task is a no-op. */
  async delete(id: string): Promise<void> {
    const record = await this.load(id);
    if (record) {
      const runtime = this.runtimeFor(record);
      if (!(await this.readExitFile(id)) && (await isMonitorAlive(record.monitorPid, id))) {
        await runtime.kill(id, 'KILL', { all: true }).catch(() => undefined);
        const timeout = AbortSignal.timeout(DELETE_WAIT_MS);
        await this.exitWatcher.wait(id, timeout).catch(() => undefined);
      }
      await runtime.delete(id, { force: true });
    }
    await this.removeFiles(id);
  }

  async restore(): Promise<TaskInfo[]> {
    const ids = await readdir(join(this.stateDir, 'tasks')).catch(() => [] as string[]);
    const records = await Promise.all(ids.map((id) => this.load(id)));
    return records.filter((r): r is TaskRecord => r !== undefined).map(taskInfo);
  }

  async *readLog(id: string, logPath: string, options: LogReadOptions, signal?: AbortSignal): AsyncGenerator<LogEntry> {
    const isDone = async (): Promise<boolean> => !(await this.load(id)) || (await this.exitStatus(id)) !== undefined;
    if (!options.follow || signal?.aborted) return yield* readK8sLog(logPath, options, isDone, signal);
    // A task that exits without a last word leaves its log file untouched: its exit wakes the follower, which
    // would otherwise notice only at its next poll (and keep `run --rm` waiting for that).
    const done = new AbortController();
    const exited = this.exitWatcher.wait(id, signal ? AbortSignal.any([done.signal, signal]) : done.signal).catch(() => undefined);
    try {
      yield* readK8sLog(logPath, options, isDone, signal, exited);
    } finally {
      done.abort();
    }
  }

  /** Connects the clients that asked to attach before the task existed, before it starts to run. */
  private async attachPending(id: string, bundle: string): Promise<void> {
    const pending = this.pendingAttaches.get(id);
    if (!pending) return;
    this.pendingAttaches.delete(id);
    await Promise.all(
      [...pending].map((waiter) => connectAttachSocket(join(bundle, 'attach')).then(waiter.resolve, waiter.reject)),
    );
  }

  /**
   * Whether a task has exited: its exit file, else, when its monitor is gone without writing one, the runtime's
   * view. A task whose monitor was killed is recorded as exited with status 255 once its process is gone too.
   */
  private async checkExit(id: string): Promise<TaskExit | undefined> {
    const exit = await this.readExitFile(id);
    if (exit) return exit;
    const record = await this.load(id);
    if (!record || (await isMonitorAlive(record.monitorPid, id))) return undefined;
    // The monitor writes the file before exiting: read again now that it is known to be gone.
    const late = await this.readExitFile(id);
    if (late) return late;
    const state = await this.runtimeFor(record).state(id).catch(() => undefined);
    if (state && state.status !== 'stopped') return undefined;
    await writeFile(join(this.exitDir(), id), String(UNKNOWN_EXIT));
    return this.readExitFile(id);
  }

  private async readExitFile(id: string): Promise<TaskExit | undefined> {
    const path = join(this.exitDir(), id);
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      // conmon creates the file before writing it; an empty one is an exit not yet recorded.
      if (!/^-?\d+\s*$/.test(text)) return undefined;
      const oomKilled = await this.oomKilled(id);
      return { exitCode: Number.parseInt(text, 10), exitedAt: info.mtime, ...(oomKilled && { oomKilled }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * conmon watches the task's memory cgroup (v1 `memory.oom_control` events, v2 `memory.events`) and leaves an
   * `oom` file in its persist directory when the kernel's OOM killer struck there.
   */
  private async oomKilled(id: string): Promise<boolean> {
    return access(join(this.taskDir(id), 'oom')).then(() => true, () => false);
  }

  private runtimeFor(record: TaskRecord): Runtime {
    const known = this.runtimeOf.get(record.id);
    if (known) return known;
    const runtime = this.runtimes.get(record.runtimeId);
    this.runtimeOf.set(record.id, runtime);
    return runtime;
  }

  private async loadExisting(id: string): Promise<TaskRecord> {
    const record = await this.load(id);
    if (!record) throw new NotFoundError(`task ${id}: no such task`);
    return record;
  }

  private async load(id: string): Promise<TaskRecord | undefined> {
    const cached = this.records.get(id);
    if (cached) return cached;
    if (!TASK_ID.test(id)) return undefined;
    try {
      const record = JSON.parse(await readFile(join(this.taskDir(id), 'task.json'), 'utf8')) as TaskRecord;
      this.records.set(id, record);
      return record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new InternalError(`task ${id}: unreadable supervisor record`, { cause: error });
    }
  }

  private async save(record: TaskRecord): Promise<void> {
    const path = join(this.taskDir(record.id), 'task.json');
    await writeFile(`${path}.tmp`, JSON.stringify(record));
    await rename(`${path}.tmp`, path);
    this.records.set(record.id, record);
  }

  private async removeFiles(id: string): Promise<void> {
    this.records.delete(id);
    this.runtimeOf.delete(id);
    await Promise.all([
      rm(this.taskDir(id), { recursive: true, force: true }),
      rm(join(this.exitDir(), id), { force: true }),
      rm(join(this.socketDir(), id), { recursive: true, force: true }),
    ]);
  }

  private conmon(): string {
    this.conmonPath ??= findExecutable('conmon');
    if (!this.conmonPath) {
      throw new FailedPreconditionError('supervisor: conmon not found in PATH', { hint: 'install it: apt-get install conmon' });
    }
    return this.conmonPath;
  }

  private taskDir(id: string): string {
    return join(this.stateDir, 'tasks', id);
  }

  private exitDir(): string {
    return join(this.stateDir, 'exits');
  }

  private socketDir(): string {
    return join(this.stateDir, 'sockets');
  }
}

function taskInfo(record: TaskRecord): TaskInfo {
  return { id: record.id, runtimeId: record.runtimeId, pid: record.pid, monitorPid: record.monitorPid };
}

/**
 * Signals the task's init process itself, as `runc kill` does after checking the container's state, which saves
 * a runtime process per signal (`compose down` stops ten at once). Only while the pid is still the init the task
 * started (a reused pid has another start time; an exited init is a zombie until conmon reaps it); whatever is
 * not certain is left to the runtime, and so are signals to every process of the task.
 */
async function signalInit(record: TaskRecord, signal: string): Promise<boolean> {
  const number = signalNumber(signal);
  if (!record.initStartTime || number === undefined) return false;
  if ((await processStartTime(record.pid)) !== record.initStartTime) return false;
  try {
    process.kill(record.pid, number);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first message conmon writes on its sync pipe, or undefined if it closed the pipe without one. The pipe is
 * closed afterwards: conmon keeps its end open for the container's lifetime and writes nothing more to it.
 */
function readSyncMessage(pipe: Readable): Promise<SyncMessage | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (): void => {
      pipe.removeAllListeners('data');
      pipe.destroy();
      try {
        const message = JSON.parse(text) as SyncMessage;
        resolve(typeof message.data === 'number' ? message : undefined);
      } catch {
        resolve(undefined);
      }
    };
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) finish();
    });
    pipe.once('end', finish);
    pipe.once('error', finish);
  });
}
