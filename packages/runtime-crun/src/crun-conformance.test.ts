// SPDX-License-Identifier: Apache-2.0
// Real crun under conmon, as root; on these hybrid-cgroup hosts through its private cgroup2 mount namespace.
import { ensureInstalled, runtimeConformance } from '@tsc-engine/core/testing';
import { findExecutable } from '@tsc-engine/core';
import { CrunRuntime } from './crun-runtime.js';

runtimeConformance('crun', ({ stateDir }) => {
  ensureInstalled('crun', 'crun');
  return new CrunRuntime({ path: findExecutable('crun'), root: stateDir });
});
