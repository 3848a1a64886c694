// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import { FailedPreconditionError, type ContainerInspect, type EngineClient } from '@tsc-engine/core/client';

/** What a container must reach: running, healthy (its check passed), or completed (exited 0). */
export type Readiness = 'running' | 'healthy' | 'completed';

const POLL_MS = 250;

/**
 * Resolves once the container is `target`; rejects, naming it, as soon as it never can be (exited, unhealthy,
 * no healthcheck) — docker compose's `isServiceHealthy`/`isServiceCompleted`, which poll inspect likewise.
 * `signal` ends the wait (a timeout) with its reason.
 */
export async function awaitReadiness(client: EngineClient, name: string, target: Readiness, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    if (verdict(await client.inspectContainer(name), name, target)) return;
    await delay(POLL_MS, undefined, { signal });
  }
}

/** The readiness `--wait` asks of a container: healthy when it has a healthcheck, else running. */
export function defaultReadiness(inspect: ContainerInspect): Readiness {
  return inspect.State.Health && inspect.State.Health.Status !== 'none' ? 'healthy' : 'running';
}

function verdict(inspect: ContainerInspect, name: string, target: Readiness): boolean {
  const { State: state } = inspect;
  const exited = state.Status === 'exited' || state.Status === 'dead';
  if (target === 'completed') {
    if (!exited) return false;
    if (state.ExitCode === 0) return true;
    throw new FailedPreconditionError(`container ${name} exited (${state.ExitCode}) instead of completing successfully`);
  }
  if (exited) throw new FailedPreconditionError(`container ${name} exited (${state.ExitCode})`);
  if (target === 'running') return state.Status === 'running';
  const health = state.Health?.Status;
  if (health === undefined || health === 'none') {
    throw new FailedPreconditionError(`container ${name} has no healthcheck configured`, { hint: 'add a healthcheck: to the service, or depend on it with condition: service_started' });
  }
  if (health === 'unhealthy') throw new FailedPreconditionError(`container ${name} is unhealthy`);
  return health === 'healthy';
}
