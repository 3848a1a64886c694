// SPDX-License-Identifier: Apache-2.0
import { Worker } from 'node:worker_threads';

/**
 * Unpack worker threads, shared by the jobs under way and kept loaded between them. A new thread spends 140–240 ms
 * (on a busy 2-core machine) loading its modules before it takes any data, which in a pull was time each layer's
 * download sat waiting: warmed when a pull learns which layers it needs, the threads load while the downloads
 * start, and a later pull finds them ready. A job goes to a thread of its own while there are fewer than
 * `maxThreads`, else to the one with the fewest jobs. Threads without a job are unref'd, so they never keep a
 * process alive, and go after a while unused, so an idle daemon holds none.
 */
export class UnpackWorkerPool {
  /** Every thread, with its jobs under way and, when it has none, the timer that ends it. */
  private readonly threads = new Map<Worker, { jobs: number; idleTimer?: NodeJS.Timeout }>();

  constructor(
    private readonly script: URL,
    /** Threads at most. */
    private readonly maxThreads: number,
    /** How long a thread without a job stays before it is ended. */
    private readonly idleMs: number,
  ) {}

  /** Starts threads until there are `count` (up to `maxThreads`), without waiting for them to load. */
  warm(count: number): void {
    for (let i = this.threads.size; i < Math.min(count, this.maxThreads); i++) this.park(this.spawn());
  }

  /** A thread for one more job; it keeps the process alive until the job is released. */
  acquire(): Worker {
    let chosen: Worker | undefined;
    let fewest = Infinity;
    for (const [worker, { jobs }] of this.threads) {
      if (jobs < fewest) [chosen, fewest] = [worker, jobs];
    }
    if (chosen === undefined || (fewest > 0 && this.threads.size < this.maxThreads)) chosen = this.spawn();
    const state = this.threads.get(chosen)!;
    clearTimeout(state.idleTimer);
    state.jobs++;
    chosen.ref();
    return chosen;
  }

  /** Ends a job of `worker`'s: one without jobs left is parked. A thread that has exited is already forgotten. */
  release(worker: Worker): void {
    const state = this.threads.get(worker);
    if (state === undefined) return;
    state.jobs--;
    if (state.jobs === 0) this.park(worker);
  }

  /** Threads without a job now. */
  get idleCount(): number {
    return [...this.threads.values()].filter((state) => state.jobs === 0).length;
  }

  private park(worker: Worker): void {
    worker.unref();
    const state = this.threads.get(worker)!;
    state.idleTimer = setTimeout(() => void worker.terminate(), this.idleMs);
    state.idleTimer.unref();
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    this.threads.set(worker, { jobs: 0 });
    // A thread's failure is its jobs' (LayerUnpacker listens); here it is only forgotten.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      clearTimeout(this.threads.get(worker)?.idleTimer);
      this.threads.delete(worker);
    });
    return worker;
  }
}
