// SPDX-License-Identifier: Apache-2.0
// The command files of a package, for the bundles whose entries list them: this package's commands bundle
// (bundle-commands.js) and the CLI's bundle, which holds the compose commands too (packages/cli/scripts/bundle.js).
import { readdirSync } from 'node:fs';
import { join, parse, sep } from 'node:path';

/**
 * Command ids from the compiled command files of the package at `packageRoot`, as oclif's `pattern` strategy names
 * them (`compose/up.js` → `compose:up`), with their absolute paths.
 */
export function commandFiles(packageRoot) {
  const dir = join(packageRoot, 'lib', 'commands');
  return readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.js') && !file.endsWith('.test.js'))
    .sort()
    .map((file) => {
      const { dir: topics, name } = parse(file);
      const id = [...topics.split(sep), name === 'index' ? '' : name].filter(Boolean).join(':');
      return { id, path: join(dir, file) };
    });
}
