// SPDX-License-Identifier: Apache-2.0
import type { DiskUsage } from '../../api/image.js';
import type { SystemInfo, SystemVersion } from '../../api/system.js';
import { sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

export interface SystemBackend {
  version(): SystemVersion;
  info(): Promise<SystemInfo>;
}

/** What `GET /system/df` needs. */
export interface DiskUsageBackend {
  diskUsage(): Promise<DiskUsage>;
}

/** `GET /system/df`, apart from {@link systemRoutes} because it reads images, containers and volumes. */
export function diskUsageRoutes(backend: DiskUsageBackend): Route[] {
  return [{ method: 'GET', path: '/system/df', handler: async ({ res }) => sendJson(res, 200, await backend.diskUsage()) }];
}

export function systemRoutes(backend: SystemBackend): Route[] {
  return [
    {
      method: 'GET',
      path: '/_ping',
      handler: async ({ req, res }) => {
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-cache, no-store, must-revalidate',
          Pragma: 'no-cache',
          'Builder-Version': '1',
          // Without a length Node ends the connection after the answer, and the client's next call needs a new one.
          'Content-Length': 2,
        });
        res.end(req.method === 'HEAD' ? undefined : 'OK');
      },
    },
    { method: 'GET', path: '/version', handler: async ({ res }) => sendJson(res, 200, backend.version()) },
    { method: 'GET', path: '/info', handler: async ({ res }) => sendJson(res, 200, await backend.info()) },
  ];
}
