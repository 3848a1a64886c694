// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { DEFAULT_DATA_ROOT } from '@tsc-engine/core/client';

/**
 * Pins oclif's data directory, where `plugins:install` puts user plugins, to one system path shared by the CLI and
 * the daemon: `$TSC_ENGINE_DATA_DIR` (oclif's own variable for it), else `<data root>/cli` with the data root from
 * `$TSC_ENGINE_DATA_ROOT` or `/var/lib/tsc-engine`. oclif's default is per user (`~/.local/share/tsc-engine`), so
 * a root daemon and a user's CLI would otherwise see different plugin sets. `daemon --data-root` does not move it:
 * a CLI cannot see that flag, and both must agree. Returns the directory.
 */
export function pinPluginDataDir(env: NodeJS.ProcessEnv = process.env): string {
  env.TSC_ENGINE_DATA_DIR ||= join(env.TSC_ENGINE_DATA_ROOT || DEFAULT_DATA_ROOT, 'cli');
  return env.TSC_ENGINE_DATA_DIR;
}
