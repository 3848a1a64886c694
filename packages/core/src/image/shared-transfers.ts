// SPDX-License-Identifier: Apache-2.0
import type { ProgressMessage } from '../api/progress-message.js';

export type ProgressListener = (message: ProgressMessage) => void;

/** One pull (or push) waiting for a transfer. */
export interface TransferWatcher {
  onProgress: ProgressListener;
  /** The watcher gives up when this aborts; the transfer itself goes on while another watcher remains. */
  signal?: AbortSignal;
}

/** Does the work; reports to every watcher through `progress`; stops when `signal` aborts. */
export type TransferTask = (progress: ProgressListener, signal: AbortSignal) => Promise<void>;

interface Transfer {
  done: Promise<void>;
  watchers: Set<TransferWatcher>;
  controller: AbortController;
}

/**
 * Docker's transfer manager in small: at most one transfer runs per key (a layer, a blob), however many pulls need
 * it at once. Each watcher sees the transfer's progress from when it joined and its outcome; a watcher that aborts
 * leaves alone, and the transfer is aborted only when no watcher is left, so one client disconnecting does not fail
 * another client's pull of the same layer. The last watcher to leave is answered once the transfer has stopped.
 */
export class SharedTransfers {
  private readonly running = new Map<string, Transfer>();

  run(key: string, task: TransferTask, watcher: TransferWatcher): Promise<void> {
    watcher.signal?.throwIfAborted();
    const joined = this.running.get(key);
    const transfer = joined ?? { done: Promise.resolve(), watchers: new Set<TransferWatcher>(), controller: new AbortController() };
    const { watchers, controller } = transfer;
    // Joined before the task starts, so the first watcher sees what the task reports synchronously.
    watchers.add(watcher);
    if (!joined) {
      const progress: ProgressListener = (message) => watchers.forEach((each) => each.onProgress(message));
      transfer.done = task(progress, controller.signal).finally(() => this.running.delete(key));
      // Watchers receive the outcome; this marks the shared promise handled when all of them have gone.
      transfer.done.catch(() => undefined);
      this.running.set(key, transfer);
    }
    const { done } = transfer;
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        watchers.delete(watcher);
        const reason: unknown = watcher.signal?.reason;
        if (watchers.size > 0) return reject(reason);
        // The last watcher waits for the aborted transfer to wind down, so nothing of it outlives the pull.
        controller.abort(reason);
        done.then(() => reject(reason), () => reject(reason));
      };
      watcher.signal?.addEventListener('abort', leave, { once: true });
      done.then(resolve, reject).finally(() => {
        watchers.delete(watcher);
        watcher.signal?.removeEventListener('abort', leave);
      });
    });
  }
}
