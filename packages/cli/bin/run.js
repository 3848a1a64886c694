#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// CommonJS (bin/package.json), as node's ES module loader alone costs a command ~8 ms of CPU before its first line.
'use strict';
const { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

// Node 22+ caches compiled code between runs itself (older Nodes lack it), which also covers what the bundle loads.
Module.enableCompileCache?.();

/** Where oclif keeps this CLI's cache (`$TSC_ENGINE_CACHE_DIR`, else the XDG cache dir), plus `code-cache`. */
function codeCacheDir() {
  const cacheDir = process.env.TSC_ENGINE_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tsc-engine');
  return join(cacheDir, 'code-cache');
}

/**
 * Requires the bundle like node would, but compiled with a V8 code cache, which takes about a third off its load (node
 * 20 has no compile cache of its own). The cache is written when the first run with this bundle exits, so it also
 * holds the functions that run compiled; it is keyed by the bundle's identity and node's version, and V8 itself
 * rejects one made by other flags, upon which it is written again. Any trouble with the cache leaves just a slower
 * start.
 */
function requireWithCodeCache(filename) {
  const fd = openSync(filename, 'r');
  const { ino, size, mtimeMs } = fstatSync(fd);
  const source = readFileSync(fd, 'utf8');
  closeSync(fd);
  const dir = codeCacheDir();
  const name = `cli-${process.version}-${ino}-${size}-${mtimeMs}.bin`;
  let cachedData;
  try {
    cachedData = readFileSync(join(dir, name));
  } catch {
    // none yet
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __importModule) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCodeCache(script, dir, name));

  const module = new Module(filename, null);
  module.filename = filename;
  module.paths = Module._nodeModulePaths(dirname(filename));
  // oclif requires the bundle again, as its command target: it must get this module, not a second copy.
  require.cache[filename] = module;
  // A script compiled from a cache cannot import() (see scripts/bundle.js): the bundle's imports come here.
  const importModule = (specifier, options) => import(specifier, options);
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname(filename), importModule);
  module.loaded = true;
  return module.exports;
}

/** Replaces the code cache of older bundles by this one's; another CLI starting meanwhile reads a whole file or none. */
function writeCodeCache(script, dir, name) {
  try {
    mkdirSync(dir, { recursive: true });
    for (const old of readdirSync(dir)) if (old.startsWith('cli-')) rmSync(join(dir, old), { force: true });
    const temporary = join(dir, `.${name}.${process.pid}`);
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, join(dir, name));
  } catch {
    // an unwritable cache dir: every start compiles the bundle
  }
}

async function main() {
  // The CLI runs from one bundle of oclif, the commands (compose's too) and the client (scripts/bundle.js, run by
  // `npm run build`).
  // In a checkout whose sources `tsc -b` compiled since, it is bundled again first, so no compiled change is ignored;
  // an installed package has no build info and never is.
  const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
  const modified = (path) => statSync(join(__dirname, path), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const compiled = Math.max(...['..', '../../core', '../../compose'].map((dir) => modified(`${dir}/tsconfig.tsbuildinfo`)));
  if (compiled > modified('../dist/cli.cjs')) await (await import('../scripts/bundle.js')).bundleCli();

  const { runCli } = requireWithCodeCache(bundle);
  // oclif finds the CLI's root (package.json) from the bundle's path: bin/ has a package.json of its own.
  await runCli(process.argv.slice(2), bundle);
}

// The daemon's libuv pool runs its fs calls and every pulled layer's inflating. With libuv's default 4 threads, on a
// busy host a descheduled job held its thread, and the layers queued behind each other's jobs: a 4-layer 140 MB
// pull took up to twice as long. libuv reads this once, when the pool starts, so it must be set before anything
// here uses the pool; an explicit UV_THREADPOOL_SIZE is kept.
if (process.argv[2] === 'daemon') process.env.UV_THREADPOOL_SIZE ??= '16';

main();
