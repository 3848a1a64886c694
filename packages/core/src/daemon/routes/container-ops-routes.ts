// SPDX-License-Identifier: Apache-2.0
import type { ContainerOperations } from '../../container/container-operations.js';
import type { ContainerStatsService } from '../../container/container-stats.js';
import { parseFilters, queryFlag, sendEmpty, sendJson, startJsonStream } from '../http-responses.js';
import type { Route } from '../route.js';

export type ContainerOpsBackend = Pick<ContainerOperations, 'restart' | 'rename' | 'prune' | 'top' | 'pause' | 'unpause'>;
export type ContainerStatsBackend = Pick<ContainerStatsService, 'stats'>;

/** `top`, `stats`, `restart`, `rename`, `pause`, `unpause` and `container prune`. */
export function containerOpsRoutes(operations: ContainerOpsBackend, stats: ContainerStatsBackend): Route[] {
  return [
    {
      method: 'GET',
      path: '/containers/:id/top',
      handler: async ({ res, params, query }) => sendJson(res, 200, await operations.top(params.id, query.get('ps_args') ?? undefined)),
    },
    {
      method: 'GET',
      path: '/containers/:id/stats',
      handler: async ({ res, params, query, signal }) => {
        const samples = stats.stats(params.id, { stream: queryFlag(query, 'stream', true), oneShot: queryFlag(query, 'one-shot') }, signal);
        // The first sample before the headers: an unknown container still gets its 404.
        const first = await samples.next();
        const send = startJsonStream(res);
        if (!first.done) send(first.value);
        for await (const sample of samples) send(sample);
        res.end();
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/restart',
      handler: async ({ res, params, query }) => {
        const t = query.get('t');
        await operations.restart(params.id, t === null || t === '' ? undefined : Number(t), query.get('signal') || undefined);
        sendEmpty(res, 204);
      },
    },
    ...(['pause', 'unpause'] as const).map((action): Route => ({
      method: 'POST',
      path: `/containers/:id/${action}`,
      handler: async ({ res, params }) => {
        await operations[action](params.id);
        sendEmpty(res, 204);
      },
    })),
    {
      method: 'POST',
      path: '/containers/:id/rename',
      handler: async ({ res, params, query }) => {
        await operations.rename(params.id, query.get('name') ?? '');
        sendEmpty(res, 204);
      },
    },
    {
      method: 'POST',
      path: '/containers/prune',
      handler: async ({ res, query }) => sendJson(res, 200, await operations.prune(parseFilters(query))),
    },
  ];
}
