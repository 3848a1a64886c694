// SPDX-License-Identifier: Apache-2.0
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { openEmbeddedStateBackend, type StateBackend } from '@tsc-engine/core/state';

/**
 * Opens the state store named by `--state` / `TSC_ENGINE_STATE`: `redis://…` (or `rediss://…`) for a Redis server
 * shared by several machines; a directory (`/path` or `file:///path`) for the embedded store there; nothing for
 * the embedded store under the data root, shared by every CLI on this machine. ioredis is loaded only for Redis.
 */
export async function openStateBackend(spec: string | undefined): Promise<StateBackend> {
  if (!spec) return openEmbeddedStateBackend();
  if (/^rediss?:\/\//.test(spec)) {
    const { openRedisStateBackend } = await import('../redis/redis-state-store.js');
    return openRedisStateBackend(spec);
  }
  if (spec.startsWith('file://')) return openEmbeddedStateBackend(fileURLToPath(spec));
  if (isAbsolute(spec)) return openEmbeddedStateBackend(spec);
  throw new InvalidArgumentError(`state store "${spec}": not a redis:// URL or an absolute directory`, {
    hint: 'use --state redis://host:6379 for Redis, or leave it out for the embedded store',
  });
}
