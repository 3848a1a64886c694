// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Runtime, isPluginSkip, type PluginContext } from '@tsc-engine/core';
import { Container } from '@tsc-engine/core/shared/inversify';
import initRunc from './runc-module.js';
import { RuncRuntime } from './runc-runtime.js';

describe('runc plugin module', () => {
  let dir: string;
  const context = (config: Record<string, unknown> = {}): PluginContext => ({
    type: 'tsc-engine.runtime.v1', id: 'runc', rootDir: join(dir, 'root'), stateDir: join(dir, 'state'), config,
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-runc-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('binds a working runc Runtime that keeps its state in the plugin state dir', async () => {
    const container = new Container();
    container.load(initRunc(context()));
    const runtime = container.get<Runtime>(Runtime);
    assert.ok(runtime instanceof RuncRuntime);
    assert.equal(runtime.id, 'runc');
    await runtime.probe();
    const command = runtime.command();
    assert.match(command.path, /\/runc$/);
    assert.deepEqual(command.args, ['--root', join(dir, 'state')]);
    assert.match((await runtime.info()).version, /^runc version /);
  });

  it('skips when the configured binary is missing', async () => {
    const container = new Container();
    container.load(initRunc(context({ path: join(dir, 'no-runc') })));
    await assert.rejects(container.get<Runtime>(Runtime).probe(), (error) => isPluginSkip(error));
  });
});
