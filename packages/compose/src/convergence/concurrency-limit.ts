// SPDX-License-Identifier: Apache-2.0

/**
 * docker-compose's default limit (1.29's `PARALLEL_LIMIT`). The engine calls of a project are mostly waits on short
 * processes (runtime, CNI, mount), so a low limit only queues them: with 4, `down` of ten services took three
 * rounds of stop-and-remove instead of one.
 */
export const DEFAULT_PARALLELISM = 64;

/** Default for {@link ConcurrencyLimit}: `COMPOSE_PARALLEL_LIMIT`, as docker compose reads it, else {@link DEFAULT_PARALLELISM}. */
export function defaultParallelism(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.COMPOSE_PARALLEL_LIMIT);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_PARALLELISM;
}

/**
 * At most `limit` engine operations at once. Kept apart from the dependency order on purpose: waiting for a
 * dependency to become healthy holds no slot, so a slow health check never starves independent services.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await operation();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  /** Runs `operation` on every item, at most `limit` at a time; rejects with the first failure once all settle. */
  async all<T>(items: readonly T[], operation: (item: T) => Promise<void>): Promise<void> {
    await settleAll(items.map((item) => this.run(() => operation(item))));
  }
}

/** Waits for every promise, then rejects with the first failure: nothing is left running behind an error. */
export async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
