#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
// The subpath, not the package index: the index loads every oclif module, slowing each command's start.
import { execute } from '@oclif/core/execute';
import { hoistGlobalFlags } from '../lib/hoist-global-flags.js';

const { oclif } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const args = hoistGlobalFlags(process.argv.slice(2), new Set(Object.keys(oclif.topics ?? {})));
await execute({ args, dir: import.meta.url });
