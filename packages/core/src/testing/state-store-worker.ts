// SPDX-License-Identifier: Apache-2.0
// A second CLI for the state store contract tests: opens the store under test in its own process, does one thing,
// and reports on stdout as JSON lines. Run as `node state-store-worker.js '<StateWorkerTask JSON>'`.
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCodeOf } from '../errors/engine-error.js';
import type { StateBackend } from '../state/state-backend.js';
import { withLock } from '../state/with-lock.js';

/** How the worker opens the store: `(await import(module))[exportName](spec)`. */
export interface StateOpener {
  module: string;
  exportName: string;
  spec: string;
}

/** What the worker does: hold a lock (renewing it) for a while, or print the next `count` events of a stream. */
export type StateWorkerAction =
  | { action: 'lock'; name: string; owner: string; ttlMs: number; waitMs: number; /** -1: until killed */ holdMs: number }
  | { action: 'subscribe'; namespace: string; count: number };

export type StateWorkerTask = StateOpener & StateWorkerAction;

const report = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(task: StateWorkerTask): Promise<void> {
  const url = isAbsolute(task.module) ? pathToFileURL(task.module).href : task.module;
  const open = (await import(url))[task.exportName] as (spec: string) => StateBackend | Promise<StateBackend>;
  const backend = await open(task.spec);
  try {
    if (task.action === 'lock') {
      await withLock(backend.store, task, async (lease, lost) => {
        report({ acquired: lease });
        await sleep(task.holdMs < 0 ? 2 ** 31 - 1 : task.holdMs, undefined, { signal: lost });
      });
      report({ released: true });
    } else {
      const events = await backend.events.subscribe({ namespace: task.namespace });
      report({ ready: true });
      let seen = 0;
      for await (const event of events) {
        report({ event });
        if (++seen === task.count) break;
      }
    }
  } finally {
    await backend.close();
  }
}

main(JSON.parse(process.argv[2]) as StateWorkerTask).catch((error: unknown) => {
  report({ error: error instanceof Error ? error.message : String(error), code: errorCodeOf(error) });
  process.exitCode = 1;
});
