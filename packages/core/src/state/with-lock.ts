// SPDX-License-Identifier: Apache-2.0
import type { AcquireLockOptions, LockLease, StateStore } from './state-store.js';

/**
 * Runs `work` holding a lock, renewing the lease every third of its time to live so that long work keeps it and a
 * crashed process loses it soon. If a renewal fails (lease lost, store unreachable), the signal passed to `work`
 * aborts with that error; the lock is released when `work` settles.
 */
export async function withLock<T>(
  store: StateStore,
  options: AcquireLockOptions,
  work: (lease: LockLease, signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  let lease = await store.acquireLock(options, signal);
  const lost = new AbortController();
  const timer = setInterval(() => {
    store.renewLock(lease).then((renewed) => { lease = renewed; }, (error: unknown) => {
      clearInterval(timer);
      lost.abort(error);
    });
  }, Math.max(50, Math.floor(options.ttlMs / 3)));
  try {
    return await work(lease, signal ? AbortSignal.any([signal, lost.signal]) : lost.signal);
  } finally {
    clearInterval(timer);
    // A release that cannot reach the store must not hide the work's own outcome; the lease then simply expires.
    await store.releaseLock(lease).catch(() => undefined);
  }
}
