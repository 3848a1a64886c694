// SPDX-License-Identifier: Apache-2.0
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
