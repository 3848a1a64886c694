// SPDX-License-Identifier: Apache-2.0
// Writes oclif.manifest.json so the CLI starts without importing every command (what `oclif manifest` does, without
// pulling that tool's release dependencies into the build).
//   generate-manifest.js              this CLI, and the plugins of this repository it lists in oclif.plugins
//   generate-manifest.js DIR…         the plugin packages at DIR… (a plugin's `prepack`)
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Plugins listed by the CLI that live in this repository (installed ones ship their own manifest) and have commands. */
async function workspacePlugins() {
  const { oclif } = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8'));
  const require = createRequire(join(cliRoot, 'package.json'));
  const roots = [];
  for (const name of oclif.plugins ?? []) {
    let root;
    try {
      root = await realpath(dirname(require.resolve(`${name}/package.json`)));
    } catch {
      continue; // a package that hides its package.json is not one of ours
    }
    const pjson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    if (!root.includes('/node_modules/') && pjson.oclif?.commands) roots.push(root);
  }
  return roots;
}

async function writeManifest(root, isRoot) {
  const plugin = new Plugin({ root, type: 'core', isRoot, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  await writeFile(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  console.log(`wrote ${plugin.name} oclif.manifest.json with ${Object.keys(plugin.manifest.commands).length} commands`);
}

const args = process.argv.slice(2);
if (args.length > 0) {
  for (const dir of args) await writeManifest(resolve(dir), false);
} else {
  await writeManifest(cliRoot, true);
  for (const root of await workspacePlugins()) await writeManifest(root, false);
}
