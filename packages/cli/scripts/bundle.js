// SPDX-License-Identifier: Apache-2.0
// Bundles the CLI — oclif, every command and the daemon client — into dist/cli.cjs with esbuild. Loading oclif and
// the commands as ~330 separate modules took most of a command's start-up; one file takes a fraction of it. oclif
// stays the framework: dist/cli.cjs is the target of its explicit command strategy (`COMMANDS`, see package.json),
// and plugins, help and hooks load as before, from node_modules.
//
// The bundle is CommonJS so that bin/run.js can compile it with a V8 code cache (node 20 has no compile cache for ES
// modules), and so that the node modules a command alone needs are loaded with that command's code, not on every start.
// The compose commands are in it too (BUNDLED_PLUGINS): loaded as an oclif plugin, from an ES module bundle of their
// own with a second copy of oclif and no code cache, they took ~0.1 s more of every compose command's start.
//
//   node scripts/bundle.js        (part of `npm run build`, after `tsc -b`)
import { createRequire } from 'node:module';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE_PATH = join(root, 'dist', 'cli.cjs');

// Not bundled: what must stay one copy shared with the engine's plugins (the daemon and its DI container are
// imported only by `tsc-engine daemon`), TypeScript, which oclif loads only to run plugins from source, and what
// compose loads only when asked for (ioredis for a Redis state store; Ajv, which only a checkout without the
// generated schema validator compiles the schema with).
const EXTERNAL = ['@tsc-engine/core/daemon', 'typescript', 'ioredis', 'ajv'];

// Workspace packages whose commands are the CLI's own: not listed in oclif.plugins, bundled here instead.
const BUNDLED_PLUGINS = ['@tsc-engine/compose'];
const pluginRoot = (name) => dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`));
/** A build script of the compose package (which this CLI bundles), shared by its own bundler. */
const composeScript = (name) => import(pathToFileURL(join(pluginRoot('@tsc-engine/compose'), 'scripts', name)).href);

// Each command is a getter around require(), which esbuild turns into that module's lazy initialisation: a
// command's code (and what only it imports) runs when oclif asks for that command, not on every start. oclif reads
// the ids from the manifest and takes from COMMANDS only the command it runs.
async function entrySource() {
  const { commandFiles } = await composeScript('command-files.js');
  const commands = [root, ...BUNDLED_PLUGINS.map(pluginRoot)]
    .flatMap((packageRoot) => commandFiles(packageRoot))
    .map((command) => `  get '${command.id}'() {\n    return require(${JSON.stringify(command.path)}).default;\n  },`)
    .join('\n');
  return `export { runCli } from './lib/run-cli.js';\nexport const COMMANDS = {\n${commands}\n};\n`;
}

// A script compiled from a V8 code cache loses node's handler of `import()` (nodejs/node#43663): every `import(x)` in
// the bundle calls `__import(x)` instead, which bin/run.js passes in from a module node compiled itself. Loaded by a
// plain require() instead, the bundle falls back to its own import().
const IMPORT_FUNCTION = '__import';
const BANNER = [
  `const ${IMPORT_FUNCTION} = typeof __importModule === 'function' ? __importModule : (specifier, options) => import(specifier, options);`,
  // run-cli.ts finds package.json from its own URL.
  "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
].join('\n');

// A dynamic import is `import(` after anything but a name's character, a dot (`x.import(` calls a method) or a quote,
// which no other token is outside strings.
const DYNAMIC_IMPORT = /(?<![\w$.#"'`])import\(/g;

/**
 * Turns the dynamic imports of esbuild's output (after the banner, which it prints first) into calls of
 * IMPORT_FUNCTION. The pattern must match only real ones: esbuild, told the target cannot import(), rewrites every
 * one, so a match left in that rewrite is a string, and fails the build rather than being changed silently.
 */
async function routeDynamicImports(code) {
  const body = code.slice(BANNER.length);
  if (!code.startsWith(BANNER) || /\b__import(Module)?\b/.test(body)) throw new Error('bundle: the output does not start with the banner, or uses its names');
  const { code: withoutImports } = await transform(body, { loader: 'js', supported: { 'dynamic-import': false } });
  const strings = withoutImports.match(DYNAMIC_IMPORT);
  if (strings) throw new Error(`bundle: ${strings.length} text(s) look like import() without being one`);
  return BANNER + body.replaceAll(DYNAMIC_IMPORT, `${IMPORT_FUNCTION}(`);
}

/** The compose package's esbuild plugin that bundles its generated schema validator (see that file). */
async function composeSchemaValidatorImport() {
  return (await composeScript('schema-validator-import.js')).schemaValidatorImport;
}

/** Writes dist/cli.cjs; a CLI starting meanwhile sees the old file or the new one, never half of one. */
export async function bundleCli() {
  const result = await build({
    stdin: { contents: await entrySource(), resolveDir: root, sourcefile: 'cli-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    plugins: [await composeSchemaValidatorImport()],
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: BANNER },
    outfile: BUNDLE_PATH,
    write: false,
    // Half the bytes to read on every start (compose's generated schema validator alone grows from 0.4 to 1.3 MB
    // when printed in full); names stay, so stack traces still read.
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  const temporary = `${BUNDLE_PATH}.${process.pid}.tmp`;
  const [output] = result.outputFiles;
  await mkdir(dirname(BUNDLE_PATH), { recursive: true });
  await writeFile(temporary, await routeDynamicImports(output.text));
  await rename(temporary, BUNDLE_PATH);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleCli();
  console.log(`wrote ${BUNDLE_PATH.slice(root.length + 1)}`);
}
