// SPDX-License-Identifier: Apache-2.0
import { Worker } from 'node:worker_threads';

/**
 * Unpack worker threads kept loaded between layers. A new thread spends 140–240 ms (on a busy 2-core machine)
 * loading its modules before it takes any data, which in a pull was time each layer's download sat waiting: warmed
 * when a pull learns which layers it needs, the threads load while the downloads start, and a later pull finds
 * them ready. Idle threads are unref'd, so they never keep a process alive, and go after a while unused, so an idle
 * daemon holds none.
 */
export class UnpackWorkerPool {
  private readonly idle = new Map<Worker, NodeJS.Timeout>();

  constructor(
    private readonly script: URL,
    /** Idle threads kept at most; more are ended when released. */
    private readonly maxIdle: number,
    /** How long a thread stays idle before it is ended. */
    private readonly idleMs: number,
  ) {}

  /** Starts threads until `count` (up to `maxIdle`) are idle, without waiting for them to load. */
  warm(count: number): void {
    for (let i = this.idle.size; i < Math.min(count, this.maxIdle); i++) this.park(this.spawn());
  }

  /** An idle thread, or a new one; it keeps the process alive until released or ended. */
  acquire(): Worker {
    const [worker] = this.idle.keys();
    if (worker === undefined) return this.spawn();
    clearTimeout(this.idle.get(worker));
    this.idle.delete(worker);
    worker.ref();
    return worker;
  }

  /** Takes back a thread that finished its job cleanly and is ready for another. */
  release(worker: Worker): void {
    if (this.idle.size >= this.maxIdle) void worker.terminate();
    else this.park(worker);
  }

  /** Threads idle now. */
  get idleCount(): number {
    return this.idle.size;
  }

  private park(worker: Worker): void {
    worker.unref();
    const timer = setTimeout(() => this.drop(worker), this.idleMs);
    timer.unref();
    this.idle.set(worker, timer);
  }

  private drop(worker: Worker): void {
    clearTimeout(this.idle.get(worker));
    this.idle.delete(worker);
    void worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    // An idle thread that fails is simply forgotten; a busy one's failure is its job's (LayerUnpacker listens).
    worker.on('error', () => {
      if (this.idle.has(worker)) this.drop(worker);
    });
    worker.once('exit', () => {
      clearTimeout(this.idle.get(worker));
      this.idle.delete(worker);
    });
    return worker;
  }
}
