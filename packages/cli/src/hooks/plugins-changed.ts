// SPDX-License-Identifier: Apache-2.0
import type { Hook } from '@oclif/core';
import { DEFAULT_SOCKET_PATH, errorCodeOf, HttpEngineClient } from '@tsc-engine/core/client';
import { socketPathOf } from '../engine-command.js';

/**
 * Runs after `plugins install` and `plugins uninstall` (plugin-plugins' `plugins:postinstall` and
 * `plugins:postuninstall`): asks the running daemon to load the new plugin set, so `run --runtime crun` works right
 * after installing runtime-crun, and says how the engine plugins fared. No daemon running is fine: it loads the
 * plugins when it starts.
 */
const hook: Hook<'plugins:postinstall'> = async function () {
  const client = new HttpEngineClient({ socketPath: socketPathOf(process.env.TSC_ENGINE_HOST || DEFAULT_SOCKET_PATH) });
  try {
    const statuses = await client.reloadPlugins();
    for (const s of statuses.filter((p) => p.status !== 'ok')) {
      this.warn(`engine plugin ${s.type} ${s.id} (${s.package}@${s.version}): ${s.status}${s.reason ? `: ${s.reason}` : ''}`);
    }
  } catch (error) {
    if (errorCodeOf(error) !== 'unavailable') this.warn(`the daemon did not reload its plugins: ${(error as Error).message}`);
  } finally {
    client.close();
  }
};

export default hook;
