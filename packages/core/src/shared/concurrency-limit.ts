// SPDX-License-Identifier: Apache-2.0

/** Runs at most `limit` operations at once; the rest wait in the order they came. */
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
