#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The subpath, not the package index: the index loads every oclif module, slowing each command's start.
import { execute } from '@oclif/core/execute';

await execute({ dir: import.meta.url });
