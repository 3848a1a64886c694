// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointConfig } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { toOneOffRequest, type OneOffOptions } from './one-off-request.js';

const project: ComposeProject = {
  name: 'shop',
  workingDir: '/app',
  composeFiles: ['/app/compose.yaml'],
  services: {
    web: {
      image: 'busybox',
      command: ['httpd', '-f'],
      entrypoint: ['/init'],
      environment: { A: '1', B: '2' },
      ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
      networks: { default: { aliases: ['www'] } },
      restart: 'always',
      container_name: 'fixed',
    },
  },
  disabledServices: {},
  networks: { default: { name: 'shop_default' } },
  volumes: {},
  secrets: {},
  configs: {},
  extensions: {},
};

const plain: OneOffOptions = {
  service: 'web',
  command: [],
  environment: [],
  labels: {},
  volumes: [],
  ports: [],
  useAliases: false,
  tty: false,
  interactive: true,
  autoRemove: true,
};

test("a one-off is the service's container labelled oneoff, numbered -1, with no ports, restart policy or aliases", async () => {
  const { name, request } = await toOneOffRequest(project, plain);
  const slug = request.Labels?.['com.docker.compose.slug'] ?? '';
  assert.match(slug, /^[0-9a-f]{64}$/);
  assert.equal(name, `shop-web-run-${slug.slice(0, 12)}`, 'container_name is not used for one-offs');
  assert.equal(request.Labels?.['com.docker.compose.oneoff'], 'True');
  assert.equal(request.Labels?.['com.docker.compose.container-number'], '-1');
  assert.deepEqual(request.Cmd, ['httpd', '-f']);
  assert.deepEqual(request.HostConfig?.PortBindings, {});
  assert.equal(request.HostConfig?.RestartPolicy, undefined);
  assert.equal(request.HostConfig?.AutoRemove, true);
  assert.deepEqual([request.OpenStdin, request.StdinOnce, request.Tty], [true, true, false]);
  assert.deepEqual(request.NetworkingConfig?.EndpointsConfig, { shop_default: {} });
  assert.notEqual((await toOneOffRequest(project, plain)).name, name, 'each one-off gets a slug of its own');
});

test('the run overrides command, entrypoint, environment, labels, ports, volumes and aliases', async () => {
  const { name, request } = await toOneOffRequest(project, {
    ...plain,
    name: 'job',
    entrypoint: ['sh', '-c'],
    environment: ['B=3', 'C=4'],
    labels: { team: 'ops' },
    ports: [{ mode: 'ingress', target: 80, published: '9090', protocol: 'tcp' }],
    volumes: [{ type: 'volume', source: 'cache', target: '/cache' }],
    useAliases: true,
  });
  assert.equal(name, 'job');
  assert.deepEqual(request.Entrypoint, ['sh', '-c']);
  assert.deepEqual(request.Cmd, [], "a new entrypoint drops the service's command");
  assert.deepEqual(request.Env, ['A=1', 'B=3', 'C=4']);
  assert.equal(request.Labels?.team, 'ops');
  assert.deepEqual(request.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '9090' }] });
  assert.deepEqual(request.HostConfig?.Mounts?.map((m) => [m.Source, m.Target]), [['cache', '/cache']], 'an undeclared volume is used by its name');
  const endpoints = request.NetworkingConfig?.EndpointsConfig as Record<string, EndpointConfig>;
  assert.deepEqual(endpoints.shop_default.Aliases, ['web', 'www']);
});
