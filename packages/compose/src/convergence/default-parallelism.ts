// SPDX-License-Identifier: Apache-2.0

/**
 * docker-compose's default limit (1.29's `PARALLEL_LIMIT`). The engine calls of a project are mostly waits on short
 * processes (runtime, CNI, mount), so a low limit only queues them: with 4, `down` of ten services took three
 * rounds of stop-and-remove instead of one. The limit is kept apart from the dependency order on purpose: waiting
 * for a dependency to become healthy holds no slot, so a slow health check never starves independent services.
 */
const DEFAULT_PARALLELISM = 64;

/** How many engine calls a project makes at once: `COMPOSE_PARALLEL_LIMIT`, as docker compose reads it, else {@link DEFAULT_PARALLELISM}. */
export function defaultParallelism(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.COMPOSE_PARALLEL_LIMIT);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_PARALLELISM;
}
