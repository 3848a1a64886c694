// SPDX-License-Identifier: Apache-2.0
import type { VolumeCreateRequest, VolumeListResponse } from '../../api/volume.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import type { VolumeService } from '../../volume/volume-service.js';
import { parseFilters, queryFlag, readJsonBody, sendEmpty, sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

/** What the volume endpoints need of the daemon. */
export type VolumeBackend = Pick<VolumeService, 'list' | 'inspect' | 'create' | 'remove' | 'prune'>;

export function volumeRoutes(backend: VolumeBackend): Route[] {
  return [
    {
      method: 'GET',
      path: '/volumes',
      handler: async ({ res, query }) => {
        const body: VolumeListResponse = { Volumes: await backend.list(parseFilters(query)), Warnings: [] };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'POST',
      path: '/volumes/create',
      handler: async ({ req, res }) => sendJson(res, 201, await backend.create(await readJsonBody<VolumeCreateRequest>(req))),
    },
    {
      method: 'POST',
      path: '/volumes/prune',
      handler: async ({ res, query, apiVersion }) => {
        const filters = parseFilters(query);
        const unknown = Object.keys(filters).filter((key) => !['label', 'label!', 'all'].includes(key));
        if (unknown.length > 0) throw new InvalidArgumentError(`invalid filter '${unknown[0]}'`);
        sendJson(
          res,
          200,
          await backend.prune({ all: pruneAll(filters.all, apiVersion), labels: filters.label, notLabels: filters['label!'] }),
        );
      },
    },
    {
      method: 'GET',
      path: '/volumes/:name',
      handler: async ({ res, params }) => sendJson(res, 200, await backend.inspect(params.name)),
    },
    {
      method: 'DELETE',
      path: '/volumes/:name',
      handler: async ({ res, params, query }) => {
        await backend.remove(params.name, { force: queryFlag(query, 'force') });
        sendEmpty(res, 204);
      },
    },
  ];
}

/**
 * Whether prune takes named volumes too. API 1.42 made prune take only anonymous volumes unless the `all` filter
 * says otherwise; clients asking for an older API get the old behaviour, every unused volume (moby
 * `api/server/router/volume/volume_routes.go`).
 */
function pruneAll(values: string[] | undefined, apiVersion: string): boolean {
  if (values === undefined || values.length === 0) {
    const [major, minor] = apiVersion.split('.').map(Number);
    return major === 1 && minor < 42;
  }
  const value = values[values.length - 1];
  if (!['true', 'false', '1', '0'].includes(value)) throw new InvalidArgumentError(`invalid filter 'all=${value}'`);
  return value === 'true' || value === '1';
}
