// SPDX-License-Identifier: Apache-2.0
// Real runc under nice(1) and conmon, as root: the engine's runtime conformance suite, plus this plugin's own rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Runtime, findExecutable, type PluginContext } from '@tsc-engine/core';
import { Container } from '@tsc-engine/core/shared/inversify';
import { runtimeConformance } from '@tsc-engine/core/testing';
import { niceRuncConfig } from './nice-runc-config.js';
import initNiceRunc from './nice-runc-module.js';
import { NiceRuncRuntime } from './nice-runc-runtime.js';

runtimeConformance('nice-runc', ({ stateDir }) =>
  new NiceRuncRuntime({ path: findExecutable('runc'), root: stateDir, niceness: 5, nicePath: findExecutable('nice') }));

test('the module binds the runtime with the configured niceness, and refuses a bad one', () => {
  const context = (config: Record<string, unknown>): PluginContext =>
    ({ type: 'tsc-engine.runtime.v1', id: 'nice-runc', rootDir: '/r', stateDir: '/s', config });
  const container = new Container();
  container.load(initNiceRunc(context({ niceness: 7 })));
  assert.deepEqual(container.get<Runtime>(Runtime).command().args.slice(0, 2), ['-n', '7']);
  assert.equal(niceRuncConfig({}).niceness, 10);
  assert.throws(() => niceRuncConfig({ niceness: 42 }), /"niceness" must be an integer from 1 to 19/);
});
