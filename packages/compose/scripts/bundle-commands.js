// SPDX-License-Identifier: Apache-2.0
// Bundles the compose commands — with the loader, yaml, the client and their own copy of oclif — into
// dist/commands.js with esbuild, the target of oclif's explicit command strategy (through lib/command-bundle.js,
// see package.json). Loaded as ~200 separate modules (a second oclif beside the CLI's bundled one among them), the
// plugin took ~0.1 s of every compose command's start; one file takes a fraction of it. What a command imports
// only when needed (ioredis, Ajv) stays out of it, in node_modules, so a command that needs neither never loads them.
//
//   node scripts/bundle-commands.js        (part of `npm run build`, after build-schema-validator.js)
import { readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { commandFiles } from './command-files.js';
import { schemaValidatorImport } from './schema-validator-import.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(root, 'dist');
const EXTERNAL = ['ioredis', 'ajv', 'ajv/*', 'typescript'];

// Each command is a getter around require(), which esbuild turns into that module's lazy initialisation: only the
// command oclif runs is initialised.
function entrySource() {
  const commands = commandFiles(root)
    .map((command) => `  get '${command.id}'() {\n    return require(${JSON.stringify(command.path)}).default;\n  },`)
    .join('\n');
  return `export const COMMANDS = {\n${commands}\n};\n`;
}

/**
 * Writes dist/: the chunks first (content-hashed names: what a running command loads never changes), then the
 * entry, so a command starting meanwhile loads the old bundle or the new one.
 * Returns the files written.
 */
export async function bundleCommands() {
  const result = await build({
    stdin: { contents: entrySource(), resolveDir: root, sourcefile: 'compose-commands-entry.js', loader: 'js' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    plugins: [schemaValidatorImport],
    // oclif and yaml are CommonJS, and so is Ajv's runtime the validator requires: they need a real require in ESM.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    outdir: DIST,
    entryNames: 'commands',
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    // A third of the bytes to read and parse on every start (the generated validator alone shrinks from 1.4 MB);
    // names stay, so stack traces still read.
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  const entry = join(DIST, 'commands.js');
  const chunks = result.outputFiles.filter((file) => file.path !== entry);
  await mkdir(join(DIST, 'chunks'), { recursive: true });
  await Promise.all(chunks.map((file) => replaceFile(file.path, file.contents)));
  await replaceFile(entry, result.outputFiles.find((file) => file.path === entry).contents);
  return result.outputFiles.map((file) => file.path);
}

/** Several commands of a checkout may bundle at once: each file appears whole or not at all. */
async function replaceFile(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = new Set(await bundleCommands());
  // Chunks of earlier bundles (a checkout rebundles on its own after `tsc -b`, see lib/command-bundle.js).
  for (const file of readdirSync(join(DIST, 'chunks'))) {
    if (!written.has(join(DIST, 'chunks', file))) await rm(join(DIST, 'chunks', file), { force: true });
  }
  console.log(`wrote ${relative(root, join(DIST, 'commands.js'))}`);
}
