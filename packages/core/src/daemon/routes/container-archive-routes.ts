// SPDX-License-Identifier: Apache-2.0
import { pipeline } from 'node:stream/promises';
import { encodePathStat, PATH_STAT_HEADER } from '../../archive/path-stat.js';
import type { ContainerArchive } from '../../container/container-archive.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import { queryFlag, sendEmpty } from '../http-responses.js';
import type { Route } from '../route.js';

export type ContainerArchiveBackend = Pick<ContainerArchive, 'stat' | 'read' | 'extract'>;

/** `docker cp`: `HEAD` stats a path, `GET` tars it, `PUT` extracts a tar into a directory. */
export function containerArchiveRoutes(backend: ContainerArchiveBackend): Route[] {
  const pathOf = (query: URLSearchParams): string => {
    const path = query.get('path');
    if (!path) throw new InvalidArgumentError('path cannot be empty');
    return path;
  };
  return [
    {
      method: 'HEAD',
      path: '/containers/:id/archive',
      handler: async ({ res, params, query }) => {
        const stat = await backend.stat(params.id, pathOf(query));
        res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/json' });
        res.end();
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/archive',
      handler: async ({ res, params, query, signal }) => {
        const { stat, tar } = await backend.read(params.id, pathOf(query));
        res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
        await pipeline(tar, res, { signal });
      },
    },
    {
      method: 'PUT',
      path: '/containers/:id/archive',
      handler: async ({ req, res, params, query, signal }) => {
        await backend.extract(
          params.id,
          pathOf(query),
          req,
          { noOverwriteDirNonDir: queryFlag(query, 'noOverwriteDirNonDir'), copyUIDGID: queryFlag(query, 'copyUIDGID') },
          signal,
        );
        sendEmpty(res, 200);
      },
    },
  ];
}
