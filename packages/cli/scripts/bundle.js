// SPDX-License-Identifier: Apache-2.0
// Bundles the CLI — oclif, every command and the daemon client — into dist/cli.js with esbuild. Loading oclif and
// the commands as ~330 separate modules took most of a command's start-up; one file takes a fraction of it. oclif
// stays the framework: dist/cli.js is the target of its explicit command strategy (`COMMANDS`, see package.json),
// and plugins, help and hooks load as before, from node_modules.
//
//   node scripts/bundle.js        (part of `npm run build`, after `tsc -b`)
import { readdirSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, parse, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE_PATH = join(root, 'dist', 'cli.js');

// Not bundled: what must stay one copy shared with the engine's plugins (the daemon and its DI container are
// imported only by `tsc-engine daemon`), and TypeScript, which oclif loads only to run plugins from source.
const EXTERNAL = ['@tsc-engine/core/daemon', 'typescript'];

/** Command ids from the compiled command files, as oclif's `pattern` strategy names them (`volume/ls.js` → `volume:ls`). */
function commandFiles() {
  const dir = join(root, 'lib', 'commands');
  return readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.js') && !file.endsWith('.test.js'))
    .sort()
    .map((file) => {
      const { dir: topics, name } = parse(file);
      const id = [...topics.split(sep), name === 'index' ? '' : name].filter(Boolean).join(':');
      return { id, path: `./lib/commands/${file.split(sep).join('/')}` };
    });
}

// Each command is a getter around require(), which esbuild turns into that module's lazy initialisation: a
// command's code (and what only it imports) runs when oclif asks for that command, not on every start. oclif reads
// the ids from the manifest and takes from COMMANDS only the command it runs.
function entrySource() {
  const commands = commandFiles()
    .map((command) => `  get '${command.id}'() {\n    return require('${command.path}').default;\n  },`)
    .join('\n');
  return `export { runCli } from './lib/run-cli.js';\nexport const COMMANDS = {\n${commands}\n};\n`;
}

/** Writes dist/cli.js; a CLI starting meanwhile sees the old file or the new one, never half of one. */
export async function bundleCli() {
  const result = await build({
    stdin: { contents: entrySource(), resolveDir: root, sourcefile: 'cli-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // oclif and its dependencies are CommonJS: their require() of node's modules needs a real require in ESM.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    outfile: BUNDLE_PATH,
    write: false,
    logLevel: 'warning',
  });
  const temporary = `${BUNDLE_PATH}.${process.pid}.tmp`;
  const [output] = result.outputFiles;
  await mkdir(dirname(BUNDLE_PATH), { recursive: true });
  await writeFile(temporary, output.contents);
  await rename(temporary, BUNDLE_PATH);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleCli();
  console.log(`wrote ${BUNDLE_PATH.slice(root.length + 1)}`);
}
