#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import module from 'node:module';

// Node 22+ caches compiled code between runs, taking much of oclif's load time off every command (older Nodes
// lack it). It must be on before oclif is imported, hence the dynamic imports below.
module.enableCompileCache?.();

// The subpath, not the package index: the index loads every oclif module, slowing each command's start.
const { execute } = await import('@oclif/core/execute');
const { hoistGlobalFlags } = await import('../lib/hoist-global-flags.js');
const { oclif } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await execute({ args: hoistGlobalFlags(process.argv.slice(2), new Set(Object.keys(oclif.topics ?? {}))), dir: import.meta.url });
