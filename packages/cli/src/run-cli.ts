// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
// The subpath, not the package index: the index loads every oclif module, slowing each command's start.
import { execute } from '@oclif/core/execute';
import { hoistGlobalFlags } from './hoist-global-flags.js';
import { pinPluginDataDir } from './plugin-data-dir.js';

/**
 * The CLI's entry, called by `bin/run.js` with the process's arguments and the bundle's path (from which oclif finds
 * the CLI's root). It lives in the bundle with oclif and the commands, so a command starts from one file.
 */
export async function runCli(argv: string[], dir: string): Promise<void> {
  // Before oclif reads its data dir: the CLI and the daemon must load user plugins from the same place.
  pinPluginDataDir();
  const { oclif } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { oclif: { topics?: object } };
  await execute({ args: hoistGlobalFlags(argv, new Set(Object.keys(oclif.topics ?? {}))), dir });
}
