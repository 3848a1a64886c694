// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { toPluginPackages } from './plugin-packages.js';

test("the daemon's plugin list comes from oclif: the core engine plugins, with their manifests", async () => {
  const config = await Config.load(join(dirname(fileURLToPath(import.meta.url)), '..'));
  const packages = toPluginPackages(config.getPluginsList());
  const names = packages.map((p) => p.name).sort();
  assert.deepEqual(names, ['@tsc-engine/plugin-registry-ecr', '@tsc-engine/plugin-registry-hub', '@tsc-engine/plugin-runtime-runc']);
  for (const p of packages) {
    assert.equal(p.version, '0.1.0');
    assert.match(p.root, /(runtime-runc|registry-hub|registry-ecr)$/);
    assert.equal((p.manifest as { apiVersion: number }).apiVersion, 1);
  }
});
