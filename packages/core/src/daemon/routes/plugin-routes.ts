// SPDX-License-Identifier: Apache-2.0
import type { PluginStatus } from '../../plugin/plugin-status.js';
import { sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

export interface PluginBackend {
  /** Discovers plugin packages again and loads what is new; answers every plugin's status. */
  reloadPlugins(): Promise<PluginStatus[]>;
}

/** tsc-engine's own endpoints (no Docker equivalent), under `/tsc-engine/`. */
export function pluginRoutes(backend: PluginBackend): Route[] {
  return [{ method: 'POST', path: '/tsc-engine/plugins/reload', handler: async ({ res }) => sendJson(res, 200, await backend.reloadPlugins()) }];
}
