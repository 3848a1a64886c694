// SPDX-License-Identifier: Apache-2.0
// Real runc under conmon, as root.
import { findExecutable } from '@tsc-engine/core';
import { runtimeConformance } from '@tsc-engine/core/testing';
import { RuncRuntime } from './runc-runtime.js';

runtimeConformance('runc', ({ stateDir }) => new RuncRuntime({ path: findExecutable('runc'), root: stateDir }));
