// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerCreateRequest } from '../api/container.js';
import type { ContainerRecord } from '../container/container-record.js';
import { NotFoundError } from '../errors/engine-error.js';
import { containerToJoin, planJoinedNamespace, type ContainerLookup } from './joined-namespace.js';

const container = (id: string, name: string, status: ContainerRecord['state']['status']) =>
  ({ id, name, state: { status } }) as ContainerRecord;
const web = container('a'.repeat(64), 'web', 'running');
const idle = container('b'.repeat(64), 'idle', 'exited');
const lookup: ContainerLookup = (key) => {
  const found = [web, idle].find((c) => c.name === key || c.id.startsWith(key));
  if (!found) throw new NotFoundError(`No such container: ${key}`);
  return found;
};
const plan = (mode: string, extra: Partial<ContainerCreateRequest> = {}, hostConfig: Record<string, unknown> = {}) =>
  planJoinedNamespace({ Image: 'busybox', ...extra, HostConfig: { NetworkMode: mode, ...hostConfig } }, mode, lookup);

test('container mode names the container by id when it exists, and keeps the name when not (yet)', () => {
  assert.deepEqual(plan('container:web'), { mode: `container:${web.id}`, endpoints: [], portBindings: {}, publishAll: false, exposedPorts: [] });
  assert.equal(plan('container:later').mode, 'container:later');
});

test('container mode refuses what conflicts with sharing a namespace, with moby\'s messages', () => {
  const refused: [RegExp, () => unknown][] = [
    [/invalid container format container:<name\|id>/, () => plan('container:')],
    [/invalid container format/, () => plan('container')],
    [/hostname and the network mode/, () => plan('container:web', { Hostname: 'x' })],
    [/can't be used with links/, () => plan('container:web', {}, { Links: ['db:db'] })],
    [/dns and the network mode/, () => plan('container:web', {}, { Dns: ['10.0.0.1'] })],
    [/custom host-to-IP mapping/, () => plan('container:web', {}, { ExtraHosts: ['h:10.0.0.1'] })],
    [/port publishing and the container type network mode/, () => plan('container:web', {}, { PortBindings: { '80/tcp': [{ HostPort: '8080' }] } })],
    [/port publishing/, () => plan('container:web', {}, { PublishAllPorts: true })],
    [/port exposing and the container type network mode/, () => plan('container:web', { ExposedPorts: { '80/tcp': {} } })],
  ];
  for (const [message, attempt] of refused) assert.throws(attempt, message);
});

test('only a running container other than itself can be joined', () => {
  assert.equal(containerToJoin(container('c'.repeat(64), 'c', 'created'), web.id, lookup, 'network'), web);
  assert.throws(() => containerToJoin(web, 'web', lookup, 'network'), /cannot join own network namespace/);
  assert.throws(() => containerToJoin(web, 'idle', lookup, 'network'), /non running container: container idle is exited/);
  assert.throws(() => containerToJoin(web, 'gone', lookup, 'network'), /joining network namespace of container: No such container: gone/);
});
