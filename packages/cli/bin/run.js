#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
