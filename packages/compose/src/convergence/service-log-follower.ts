// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import type { EngineClient } from '@tsc-engine/core/client';
import type { EventStream } from '@tsc-engine/core/state';
import { listProjectContainers, logName, ofServices } from './project-containers.js';
import { printContainerLogs, type LogOutput, type ProjectLogOptions } from './project-logs.js';

/** How often the engine is asked for new containers when no event said so (a restart by `tsc-engine restart`). */
const RESCAN_MS = 2000;

/** Where a container's log stands: being followed, or ended (it stopped) at a time to resume from. */
interface Followed {
  following: boolean;
  /** Unix seconds when its stream ended: a restart prints only what came after. */
  endedAt?: string;
}

/**
 * `logs -f`: follows the services' containers, and keeps following them across restarts (the same container
 * starting again: its new lines only) and recreation (a new container: its whole log), until `signal` aborts.
 * A change is noticed at once from the project's event stream (`/container/started` appended by `up`, `restart`…
 * from any CLI sharing the store), and otherwise by asking the engine every couple of seconds — the engine's
 * labels being the truth, as for `ps`.
 */
export async function followServiceLogs(
  client: EngineClient,
  events: EventStream | undefined,
  project: string,
  services: readonly string[],
  options: Pick<ProjectLogOptions, 'tail' | 'timestamps'>,
  out: LogOutput,
  signal: AbortSignal,
): Promise<void> {
  const followed = new Map<string, Followed>();
  const streams = new Set<Promise<void>>();
  let width = 0;
  let first = true;

  const rescan = async (): Promise<void> => {
    const containers = ofServices(await listProjectContainers(client, project), services);
    width = Math.max(width, ...containers.map((c) => logName(project, c).length));
    for (const container of containers) {
      const known = followed.get(container.id);
      if (known?.following) continue;
      // Stopped containers are printed once, at the start, as `logs` does; later only what runs is followed.
      if (!first && container.summary.State !== 'running') continue;
      const state: Followed = { following: true };
      followed.set(container.id, state);
      const logOptions: ProjectLogOptions = {
        follow: true,
        timestamps: options.timestamps,
        ...(first ? { tail: options.tail } : {}),
        ...(known?.endedAt ? { since: known.endedAt } : {}),
      };
      const stream = printContainerLogs(client, project, container, width, logOptions, out, signal)
        .catch((error: unknown) => {
          if (!signal.aborted) out.stderr.write(`${logName(project, container)}: ${(error as Error).message}\n`);
        })
        .finally(() => {
          state.following = false;
          state.endedAt = String(Date.now() / 1000);
          streams.delete(stream);
        });
      streams.add(stream);
    }
    first = false;
  };

  // One rescan at a time; a wake-up during one asks for another after it.
  let scanning: Promise<void> | undefined;
  let again = false;
  const wake = (): Promise<void> => {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      do {
        again = false;
        await rescan();
      } while (again);
    })().finally(() => { scanning = undefined; });
    return scanning;
  };

  const subscription = events ? await events.subscribe({ namespace: project }, signal).catch(() => undefined) : undefined;
  await wake();
  const fromEvents = (async () => {
    if (!subscription) return;
    try {
      for await (const event of subscription) {
        const service = String(event.payload.service ?? '');
        if (event.topic === '/container/started' && (services.length === 0 || services.includes(service))) await wake();
      }
    } catch {
      // The store went away: polling alone still follows the containers.
    }
  })();
  try {
    while (!signal.aborted) {
      await delay(RESCAN_MS, undefined, { signal }).catch(() => undefined);
      if (!signal.aborted) await wake();
    }
  } finally {
    await fromEvents;
    await Promise.allSettled(streams);
  }
}
