#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
import { statSync } from 'node:fs';
import module from 'node:module';

// Node 22+ caches compiled code between runs, taking much of the bundle's load time off every command (older Nodes
// lack it). It must be on before the bundle is imported, hence the dynamic imports below.
module.enableCompileCache?.();

// The CLI runs from one bundle of oclif, the commands and the client (scripts/bundle.js, run by `npm run build`).
// In a checkout whose sources `tsc -b` compiled since, it is bundled again first, so no compiled change is ignored;
// an installed package has no build info and never is.
const bundle = new URL('../dist/cli.js', import.meta.url);
const modified = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const compiled = Math.max(modified('../tsconfig.tsbuildinfo'), modified('../../core/tsconfig.tsbuildinfo'));
if (compiled > modified(bundle)) await (await import('../scripts/bundle.js')).bundleCli();

const { runCli } = await import(bundle.href);
await runCli(process.argv.slice(2), import.meta.url);
