// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateStoreContract } from '../testing/state-store-contract.js';
import { openEmbeddedStateBackend } from './embedded-state-backend.js';

stateStoreContract('embedded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-state-'));
  return {
    open: async () => openEmbeddedStateBackend(dir),
    opener: { module: new URL('./embedded-state-backend.js', import.meta.url).href, exportName: 'openEmbeddedStateBackend', spec: dir },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
