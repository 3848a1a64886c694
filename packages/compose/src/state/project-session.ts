// SPDX-License-Identifier: Apache-2.0
import { hostname } from 'node:os';
import { ConflictError, errorCodeOf } from '@tsc-engine/core/client';
import { withLock, type StateBackend } from '@tsc-engine/core/state';
import type { ComposeProject } from '../compose-model.js';
import type { ProgressWriter } from '../convergence/progress-writer.js';
import { ProjectRecords, projectKey, type ProjectIntent } from './project-records.js';
import { StreamingProgress } from './streaming-progress.js';

/** A lease this long is renewed every third of it; a CLI that was killed frees the project this soon. */
const LOCK_TTL_MS = 15_000;

export interface ProjectSessionOptions {
  backend: StateBackend;
  project: ComposeProject;
  /** `up`, `down`, …: the command's name, for the lock's owner and the events. */
  command: string;
  intent: Omit<ProjectIntent, 'command'>;
  /** How long to wait for another command holding the project. */
  lockWaitMs: number;
  progress: ProgressWriter;
  /** Told once, when another command holds the project and this one starts waiting for it. */
  onWait: (message: string) => void;
}

/**
 * Runs a command that changes a project the way every CLI sharing the state store agrees on: holding the project's
 * lock (`compose/project/<name>`, so two `up`s never interleave: the second waits, or fails naming the holder),
 * with the desired state written first and the outcome after (see {@link ProjectRecords}), and its progress
 * appended to the project's event stream between `/command/start` and `/command/done`.
 *
 * If the store goes away meanwhile — a lease renewal or an append fails — `work`'s signal aborts and the command
 * fails at once with the store's error rather than carry on unrecorded; rerunning it once the store is back
 * converges, since records hold whole desired states and convergence reads the engine.
 */
export async function runProjectSession<T>(
  options: ProjectSessionOptions,
  work: (progress: ProgressWriter, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { backend, project, command } = options;
  const owner = `compose ${command} (pid ${process.pid} on ${hostname()})`;
  const lock = { name: projectKey(project.name), owner, ttlMs: LOCK_TTL_MS };
  let started = false;
  const session = (waitMs: number): Promise<T> => withLock(backend.store, { ...lock, waitMs }, async (_lease, lost) => {
    started = true;
    const failed = new AbortController();
    const progress = new StreamingProgress(options.progress, backend.events, project.name, command, (error) => failed.abort(error));
    const signal = AbortSignal.any([lost, failed.signal]);
    const records = new ProjectRecords(backend.store, project, { ...options.intent, command: owner });
    progress.append('/command/start', { command, owner });
    try {
      await records.begin();
      const result = await untilAborted(work(progress, signal), signal);
      progress.append('/command/done', { command, owner, status: 'ok' });
      await progress.flush();
      await records.succeeded();
      return result;
    } catch (error) {
      // The record of a failure is kept when the store is still there; when it is not, its own error says so.
      progress.append('/command/done', { command, owner, status: 'failed', error: (error as Error).message });
      await progress.flush().catch(() => undefined);
      await records.failed(error as Error).catch(() => undefined);
      throw error;
    }
  });
  const busy = (error: unknown): Error =>
    new ConflictError(`project "${project.name}" is busy: ${(error as Error).message}`, {
      cause: error,
      hint: 'wait for that command to finish and run this one again, or give it longer with --lock-wait',
    });
  try {
    // Without waiting first, so a user who has to wait is told why.
    return await session(0);
  } catch (error) {
    if (started || errorCodeOf(error) !== 'conflict') throw error;
    if (options.lockWaitMs === 0) throw busy(error);
    options.onWait(`project "${project.name}" is busy: ${(error as Error).message.replace(/ \(waited \d+s\)$/, '')}; waiting up to ${Math.round(options.lockWaitMs / 1000)}s`);
  }
  try {
    return await session(options.lockWaitMs);
  } catch (error) {
    if (started || errorCodeOf(error) !== 'conflict') throw error;
    throw busy(error);
  }
}

/** `work`'s outcome, or the signal's reason as soon as it aborts (`work` is then left to wind down on its own). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  signal.throwIfAborted();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
