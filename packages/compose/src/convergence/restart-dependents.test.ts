// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { withRestartDependents } from './restart-dependents.js';

function project(services: Record<string, ServiceConfig>): ComposeProject {
  return { name: 'p', workingDir: '/', composeFiles: [], services, disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {} };
}

const on = (dep: string, restart?: boolean): ServiceConfig => ({ image: 'x', depends_on: { [dep]: { condition: 'service_started', required: true, restart } } });

test('adds the services that restart with the given ones, down the chain, and no others', () => {
  const shop = project({ db: {}, api: on('db', true), web: on('api', true), worker: on('db'), tool: {} });
  assert.deepEqual(withRestartDependents(shop, ['db']).sort(), ['api', 'db', 'web']);
  assert.deepEqual(withRestartDependents(shop, ['api']).sort(), ['api', 'web']);
  assert.deepEqual(withRestartDependents(shop, []), []);
});

test('a service in the namespace of another, or linked to it, restarts with it unless its depends_on says otherwise', () => {
  const shop = project({
    web: {},
    probe: { image: 'x', network_mode: 'service:web' },
    linked: { image: 'x', links: ['web:alias'] },
    declared: { ...on('web', false), network_mode: 'service:web' },
  });
  assert.deepEqual(withRestartDependents(shop, ['web']).sort(), ['linked', 'probe', 'web']);
});
