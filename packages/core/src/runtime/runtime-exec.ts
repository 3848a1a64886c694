// SPDX-License-Identifier: Apache-2.0
import type { Readable, Writable } from 'node:stream';
import type { OciProcess } from './oci-spec.js';

/** A process to run inside a running task (`runc exec --process`). */
export interface RuntimeExecOptions {
  /** The whole process: args, env, cwd, user, capabilities (the container's, with the exec's overrides). */
  process: OciProcess;
  /** A private directory for the exec's files (`process.json`, the pid file); the caller removes it afterwards. */
  dir: string;
  /** Keep stdin open for the caller to write to; otherwise the process reads end-of-file at once. */
  stdin?: boolean;
}

/**
 * An exec'd process. Its stdio are pipes to the runtime's `exec`, which forwards them to the process and exits with
 * its status; the runtime's own error output (an executable not found) arrives on `stderr` too, and {@link exit}
 * turns it into an error instead when the process never started.
 */
export interface RuntimeExecProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The process's pid as the host sees it, once it runs; rejects when it never started. */
  pid: Promise<number>;
  /**
   * The exit status as Docker reports it (128 + N for signal N). Rejects with the runtime's error
   * (`command-not-found`, `cannot-invoke`, …) when the process could not be started.
   */
  exit: Promise<number>;
  /** Signals the process itself (not the runtime's `exec`, which cannot forward SIGKILL). */
  kill(signal: NodeJS.Signals): void;
}
