// SPDX-License-Identifier: Apache-2.0
import type { Readable, Writable } from 'node:stream';
import type { RuntimeExecProcess } from '../runtime/runtime-exec.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * Runs tasks so that they outlive the daemon. For each task the supervisor starts a small monitor process that is
 * the parent of the container (not the daemon), holds its stdio, writes its log with timestamps and records its exit
 * status on disk. A daemon that restarts calls {@link restore} and finds its tasks again.
 */
export interface Supervisor {
  /**
   * Starts the task's monitor, which runs the runtime's `create`. Resolves once the container process exists
   * (runtime state `created`); rejects with the runtime's message when it cannot be created.
   */
  create(options: TaskCreateOptions): Promise<TaskInfo>;
  /** Lets the created container's process run its command. */
  start(id: string): Promise<void>;
  kill(id: string, signal: string, options?: { all?: boolean }): Promise<void>;
  /**
   * Runs another process in the running task: the container's process settings (user, cwd, env, capabilities)
   * with the overrides of `options`. The daemon is the exec's parent (see {@link TaskExecOptions}).
   */
  exec(id: string, options: TaskExecOptions): Promise<TaskExecProcess>;
  /**
   * Connects to the task's stdio as its monitor holds them. A task that is not created yet (or has exited) is
   * attached as soon as it is next created, before it starts, so nothing it writes is missed; until then this
   * waits, or rejects when `signal` aborts.
   */
  attach(id: string, signal?: AbortSignal): Promise<TaskAttachment>;
  /** Sets the size of the task's terminal; a no-op for a task without one. */
  resize(id: string, size: TerminalSize): Promise<void>;
  /** Resolves when the task has exited (at once if it already has). */
  wait(id: string, signal?: AbortSignal): Promise<TaskExit>;
  /** The exit status if the task has exited, else undefined. */
  exitStatus(id: string): Promise<TaskExit | undefined>;
  /** Removes the task from the runtime and its monitor's files; the log stays with the container. */
  delete(id: string): Promise<void>;
  /** The tasks a previous daemon left, alive or exited, so the daemon can pick them up. */
  restore(): Promise<TaskInfo[]>;
  /**
   * Reads the log a task wrote at `logPath`; it stays readable after {@link delete}. With `follow`, reading goes
   * on while the task with this id runs.
   */
  readLog(id: string, logPath: string, options: LogReadOptions, signal?: AbortSignal): AsyncIterable<LogEntry>;
}

/** DI token for {@link Supervisor}. */
export const Supervisor = Symbol.for('tsc-engine:Supervisor');

export interface TaskCreateOptions {
  id: string;
  /** Directory holding `config.json` and the root filesystem mount point. */
  bundle: string;
  runtime: Runtime;
  /** Where the monitor writes the container's output. */
  logPath: string;
  /** Give the process a terminal (the spec's `process.terminal` must say so too): Docker's `Config.Tty`. */
  terminal?: boolean;
  /** Keep the process's stdin open for attached clients to write to: `Config.OpenStdin`. */
  openStdin?: boolean;
  /**
   * Close the process's stdin when the attached client that writes to it ends its input or goes away:
   * `Config.StdinOnce`. Docker never does so for a terminal, whose stdin stays open however clients come and go.
   */
  stdinOnce?: boolean;
}

/** A terminal's size in characters. */
export interface TerminalSize {
  height: number;
  width: number;
}

/**
 * A connection to a task's stdio. Both outputs end when the task has exited (its monitor flushes the last output
 * first) or when the attachment is closed. A terminal's output all arrives on `stdout`.
 */
export interface TaskAttachment {
  /** Goes to the process's stdin when the task keeps it open; ending it ends the process's stdin if `stdinOnce`. */
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Leaves the task as it is and frees the connection. */
  close(): void;
}

/** An exec'd process; one that has a terminal can be resized. */
export interface TaskExecProcess extends RuntimeExecProcess {
  resize?(size: TerminalSize): Promise<void>;
}

/**
 * A process to run in a task. Without a terminal it is the caller's child, its stdio plain pipes; with one, the
 * runtime hands the terminal's master over a console socket (SCM_RIGHTS, which Node cannot receive), so the
 * supervisor runs it under a monitor that takes it and relays it through its attach socket. Either way an exec
 * is as long-lived as the request that runs it, as a Docker exec's stream is when dockerd restarts.
 */
export interface TaskExecOptions {
  args: string[];
  /** `KEY=value` entries over the container's environment. */
  env?: string[];
  /** Absolute path; the container's working directory when left out. */
  workingDir?: string;
  /** Docker's `user[:group]`, names resolved in the container's files; the container's user when left out. */
  user?: string;
  /** Keep stdin open for the caller; otherwise the process reads end-of-file. */
  stdin?: boolean;
  /** Run the process on a terminal of its own (`docker exec -t`). */
  tty?: boolean;
  /** The terminal's size from its creation, before any resize (`ConsoleSize`); only with `tty`. */
  consoleSize?: TerminalSize;
  /** `docker exec --privileged`: every capability the engine can grant, whatever the container's own set. */
  privileged?: boolean;
}

export interface TaskInfo {
  id: string;
  runtimeId: string;
  /** Pid of the container's init process, as seen from the host. */
  pid: number;
  /** Pid of the task's monitor process. */
  monitorPid: number;
}

export interface TaskExit {
  /** As Docker reports it: the process's status, or 128 + signal number when a signal ended it. */
  exitCode: number;
  exitedAt: Date;
  /** The kernel's OOM killer killed a process of the task (a memory limit was hit). */
  oomKilled?: boolean;
}

export interface LogReadOptions {
  /** Keep reading as the task writes, until it exits or `signal` aborts. */
  follow?: boolean;
  /** Only the last N entries. */
  tail?: number;
  /** Only entries at or after this time. */
  since?: Date;
  until?: Date;
  stdout?: boolean;
  stderr?: boolean;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 timestamp with nanoseconds, as written by the monitor. */
  time: string;
  /** The bytes, including the line's newline when it had one. */
  data: Buffer;
}
