// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { DEFAULT_DATA_ROOT } from '../config/engine-config.js';
import { FileEventStream } from './file-event-stream.js';
import { FileStateStore } from './file-state-store.js';
import type { StateBackend } from './state-backend.js';

/** Where CLIs share the embedded store by default: beside the daemon's own state, so every CLI finds it. */
export function defaultEmbeddedStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.TSC_ENGINE_DATA_ROOT || DEFAULT_DATA_ROOT, 'state');
}

/** Opens the embedded store in `dir` (created on first write). */
export function openEmbeddedStateBackend(dir: string = defaultEmbeddedStateDir()): StateBackend {
  const events = new FileEventStream(dir);
  return {
    store: new FileStateStore(dir),
    events,
    close: async () => events.close(),
  };
}
