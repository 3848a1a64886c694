// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { serviceConfigHash } from './config-hash.js';
import { toContainerCreateRequest } from './container-request.js';

const web: ServiceConfig = {
  image: 'busybox',
  command: ['httpd', '-f'],
  environment: { A: '1', UNSET: null },
  ports: [{ mode: 'ingress', target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' }],
  expose: ['9000'],
  volumes: [{ type: 'volume', source: 'data', target: '/data' }, { type: 'bind', source: '/srv', target: '/srv', read_only: true }],
  networks: { default: null, front: { aliases: ['www'] } },
  stop_grace_period: '1m30s',
  healthcheck: { test: ['CMD', 'true'], interval: '2s', retries: 3 },
  depends_on: { db: { condition: 'service_healthy', required: true } },
};

const project: ComposeProject = {
  name: 'shop',
  workingDir: '/app',
  composeFiles: ['/app/compose.yaml'],
  services: { web, db: { image: 'busybox' } },
  disabledServices: {},
  networks: { default: { name: 'shop_default' }, front: { name: 'shop_front' } },
  volumes: { data: { name: 'shop_data' } },
  secrets: {},
  configs: {},
  extensions: {},
};

test('maps a service to a Docker create request with the compose labels', async () => {
  const request = await toContainerCreateRequest(project, { service: 'web', number: 2, configHash: 'abc' });
  assert.deepEqual(request.Env, ['A=1']);
  assert.equal(request.StopTimeout, 90);
  assert.deepEqual(request.Healthcheck, { Test: ['CMD', 'true'], Interval: 2e9, Timeout: undefined, StartPeriod: undefined, StartInterval: undefined, Retries: 3 });
  assert.deepEqual(Object.keys(request.ExposedPorts ?? {}).sort(), ['80/tcp', '9000/tcp']);
  assert.deepEqual(request.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.equal(request.HostConfig?.NetworkMode, 'shop_default');
  assert.deepEqual(request.NetworkingConfig?.EndpointsConfig, { shop_default: { Aliases: ['web'] }, shop_front: { Aliases: ['web', 'www'] } });
  assert.deepEqual(request.HostConfig?.Mounts?.map((m) => [m.Type, m.Source, m.Target, m.ReadOnly]), [
    ['volume', 'shop_data', '/data', undefined],
    ['bind', '/srv', '/srv', true],
  ]);
  assert.deepEqual(
    Object.fromEntries(Object.entries(request.Labels ?? {}).filter(([k]) => !k.endsWith('.version'))),
    {
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '2',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'abc',
      'com.docker.compose.project.working_dir': '/app',
      'com.docker.compose.project.config_files': '/app/compose.yaml',
      'com.docker.compose.depends_on': 'db:service_healthy:false',
      'com.docker.compose.image': 'busybox',
    },
  );
});

test('network_mode service:x joins the namespace of x\'s first container, container:x passes through', async () => {
  const shared = {
    ...project,
    services: { web: { image: 'busybox', network_mode: 'service:db' }, db: { image: 'busybox' }, named: { image: 'busybox', container_name: 'the-db' } },
  };
  const modeOf = (network_mode: string) =>
    toContainerCreateRequest({ ...shared, services: { ...shared.services, web: { image: 'busybox', network_mode } } }, { service: 'web', number: 1, configHash: '' });
  assert.equal((await modeOf('service:db')).HostConfig?.NetworkMode, `container:${project.name}-db-1`);
  assert.equal((await modeOf('service:named')).HostConfig?.NetworkMode, 'container:the-db');
  assert.equal((await modeOf('container:other')).HostConfig?.NetworkMode, 'container:other');
  assert.deepEqual((await modeOf('service:db')).NetworkingConfig, { EndpointsConfig: {} });
});

test('the config hash ignores key order, replicas and start order, but not the environment', () => {
  const reordered: ServiceConfig = Object.fromEntries(Object.entries(web).reverse());
  assert.equal(serviceConfigHash(reordered), serviceConfigHash(web));
  assert.equal(serviceConfigHash({ ...web, scale: 3, deploy: { replicas: 3 }, depends_on: {} }), serviceConfigHash({ ...web, deploy: {} }));
  assert.notEqual(serviceConfigHash({ ...web, environment: { A: '2' } }), serviceConfigHash(web));
});
