// SPDX-License-Identifier: Apache-2.0
// Writes oclif.manifest.json so the CLI starts without importing every command (what `oclif manifest` does, without
// pulling that tool's release dependencies into the build).
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
await writeFile(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
console.log(`wrote oclif.manifest.json with ${Object.keys(plugin.manifest.commands).length} commands`);
