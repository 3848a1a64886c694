// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinPluginDataDir } from './plugin-data-dir.js';

test('the plugin directory is pinned under the data root unless set explicitly', () => {
  assert.equal(pinPluginDataDir({}), '/var/lib/tsc-engine/cli');
  assert.equal(pinPluginDataDir({ TSC_ENGINE_DATA_ROOT: '/srv/engine' }), '/srv/engine/cli');
  const env: NodeJS.ProcessEnv = { TSC_ENGINE_DATA_DIR: '/opt/plugins', TSC_ENGINE_DATA_ROOT: '/srv/engine' };
  assert.equal(pinPluginDataDir(env), '/opt/plugins');
  assert.equal(pinPluginDataDir(env), env.TSC_ENGINE_DATA_DIR);
});
