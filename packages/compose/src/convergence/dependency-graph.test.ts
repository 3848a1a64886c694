// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { DependencyGraph } from './dependency-graph.js';

function project(services: Record<string, ServiceConfig>): ComposeProject {
  return { name: 'p', workingDir: '/', composeFiles: [], services, disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {} };
}

const needs = (...deps: string[]): ServiceConfig => ({
  image: 'x',
  depends_on: Object.fromEntries(deps.map((d) => [d, { condition: 'service_started' as const, required: true }])),
});

const shop = project({ web: needs('api'), api: needs('db', 'cache'), db: {}, cache: {}, tool: {} });

test('walks dependencies first, and each service as soon as its own dependencies are done', async () => {
  const order: string[] = [];
  await DependencyGraph.of(shop).walk(async (name) => {
    await delay(name === 'cache' ? 20 : 1);
    order.push(name);
  });
  assert.ok(order.indexOf('api') > order.indexOf('db') && order.indexOf('api') > order.indexOf('cache'));
  assert.ok(order.indexOf('web') > order.indexOf('api'));
  assert.ok(order.indexOf('tool') < order.indexOf('api'), 'an independent service does not wait for the slow one');
});

test('walks in reverse for stopping: dependents first', async () => {
  const order: string[] = [];
  await DependencyGraph.of(shop).walk(async (name) => void order.push(name), { reverse: true });
  assert.ok(order.indexOf('web') < order.indexOf('api'));
  assert.ok(order.indexOf('api') < order.indexOf('db'));
});

test('a selection brings its dependencies along, unless told not to', () => {
  assert.deepEqual(DependencyGraph.of(shop, ['api']).services, ['api', 'cache', 'db']);
  assert.deepEqual(DependencyGraph.of(shop, ['api'], false).services, ['api']);
  assert.throws(() => DependencyGraph.of(shop, ['nope']), /no such service: nope/);
});

test('a failure skips what depends on it and rejects after the rest settled', async () => {
  const visited: string[] = [];
  await assert.rejects(
    DependencyGraph.of(shop).walk(async (name) => {
      if (name === 'db') throw new Error('db broke');
      await delay(5);
      visited.push(name);
    }),
    /db broke/,
  );
  assert.deepEqual(visited.sort(), ['cache', 'tool']);
});
