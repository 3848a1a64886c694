// SPDX-License-Identifier: Apache-2.0
import type { ContainerUpdateRequest, ContainerUpdateResponse } from '../../api/container-resources.js';
import type { ContainerUpdateService } from '../../container/container-update.js';
import { readJsonBody, sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

export type ContainerUpdateBackend = Pick<ContainerUpdateService, 'update'>;

/** `POST /containers/{id}/update`: `docker update`. */
export function containerUpdateRoutes(backend: ContainerUpdateBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/containers/:id/update',
      handler: async ({ req, res, params }) => {
        const answer: ContainerUpdateResponse = { Warnings: await backend.update(params.id, await readJsonBody<ContainerUpdateRequest>(req)) };
        sendJson(res, 200, answer);
      },
    },
  ];
}
