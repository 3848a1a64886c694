// SPDX-License-Identifier: Apache-2.0
import { watch, type FSWatcher } from 'node:fs';
import type { TaskExit } from './supervisor.js';

/** Backstop for missed or coalesced notifications, and for monitors that die without writing an exit file. */
const POLL_MS = 1000;

interface Waiter {
  resolve(exit: TaskExit): void;
  reject(error: unknown): void;
}

/**
 * Waits for exit files to appear in one directory. However many waiters there are, it keeps one watcher on the
 * directory and one poll timer, and only while someone waits (they keep the process alive, as an awaited wait
 * should).
 */
export class ExitWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  /** `check(id)` says whether task `id` has exited; it is asked on every notification about `id` and on polls. */
  constructor(
    private readonly directory: string,
    private readonly check: (id: string) => Promise<TaskExit | undefined>,
  ) {}

  wait(id: string, signal?: AbortSignal): Promise<TaskExit> {
    signal?.throwIfAborted();
    return new Promise<TaskExit>((resolve, reject) => {
      const onAbort = (): void => settle(() => reject(signal?.reason));
      const settle = (action: () => void): void => {
        signal?.removeEventListener('abort', onAbort);
        if (this.remove(id, waiter)) action();
      };
      const waiter: Waiter = {
        resolve: (exit) => settle(() => resolve(exit)),
        reject: (error) => settle(() => reject(error)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.add(id, waiter);
      // Checked only once watching: an exit landing between a check and the watch would be missed otherwise.
      this.poll(id);
    });
  }

  private add(id: string, waiter: Waiter): void {
    const set = this.waiters.get(id) ?? new Set();
    set.add(waiter);
    this.waiters.set(id, set);
    if (this.watcher || this.timer) return;
    try {
      this.watcher = watch(this.directory, (_event, name) => {
        if (name && this.waiters.has(name.toString())) this.poll(name.toString());
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // The poll covers a directory that cannot be watched.
    }
    this.timer = setInterval(() => this.waiters.forEach((_w, waitedId) => this.poll(waitedId)), POLL_MS);
  }

  /** Whether the waiter was still waiting, so each settles once. */
  private remove(id: string, waiter: Waiter): boolean {
    const set = this.waiters.get(id);
    if (!set?.delete(waiter)) return false;
    if (set.size === 0) this.waiters.delete(id);
    if (this.waiters.size === 0) {
      this.watcher?.close();
      clearInterval(this.timer);
      this.watcher = undefined;
      this.timer = undefined;
    }
    return true;
  }

  private poll(id: string): void {
    this.check(id).then(
      (exit) => {
        if (exit) this.waiters.get(id)?.forEach((w) => w.resolve(exit));
      },
      (error: unknown) => this.waiters.get(id)?.forEach((w) => w.reject(error)),
    );
  }
}
