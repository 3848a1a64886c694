// SPDX-License-Identifier: Apache-2.0
import { pipeline } from 'node:stream/promises';
import type { ContainerExporter } from '../../container/container-exporter.js';
import type { Route } from '../route.js';

export type ContainerExportBackend = Pick<ContainerExporter, 'export'>;

/** `docker export`: the container's file system as a tar; a failure half-way can only cut the stream short. */
export function containerExportRoutes(backend: ContainerExportBackend): Route[] {
  return [
    {
      method: 'GET',
      path: '/containers/:id/export',
      handler: async ({ res, params, signal }) => {
        const tar = await backend.export(params.id);
        res.writeHead(200, { 'Content-Type': 'application/x-tar' });
        await pipeline(tar, res, { signal });
      },
    },
  ];
}
