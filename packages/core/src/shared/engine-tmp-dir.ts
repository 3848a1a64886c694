// SPDX-License-Identifier: Apache-2.0
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineConfig } from '../config/engine-config.js';

/**
 * Makes a new private directory `<purpose>-XXXXXX` for one operation's scratch files (an archive being spooled, a
 * layer being written); the caller removes it. A daemon's go under `<data-root>/tmp`, on the same file system as
 * the layers, since a layer or an archive can be larger than /tmp; without a config (tests, tools) under the OS's.
 */
export async function engineTmpDir(config: EngineConfig | undefined, purpose: string): Promise<string> {
  const root = config ? join(config.dataRoot, 'tmp') : tmpdir();
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, `${purpose}-`));
}
