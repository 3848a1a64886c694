// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../errors/engine-error.js';
import type { ContainerLookup } from '../network/joined-namespace.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import type { ContainerRecord } from './container-record.js';
import { applyPidMode, validatePidMode } from './pid-mode.js';

const container = (name: string, status: ContainerRecord['state']['status'], pid: number, PidMode?: string) =>
  ({ id: name.repeat(64).slice(0, 64), name, state: { status, pid }, hostConfig: { PidMode } }) as ContainerRecord;
const web = container('w', 'running', 4242);
const idle = container('i', 'exited', 0);
const lookup: ContainerLookup = (key) => {
  const found = [web, idle].find((c) => c.name === key || c.id.startsWith(key));
  if (!found) throw new NotFoundError(`No such container: ${key}`);
  return found;
};
const namespacesFor = (mode?: string) => {
  const spec = { linux: { namespaces: ['mount', 'network', 'pid', 'ipc'].map((type) => ({ type })) } } as OciSpec;
  applyPidMode(spec, container('c', 'created', 0, mode), lookup);
  return spec.linux.namespaces;
};

test('PidMode is empty, host or container:<name|id> of a container that exists, as moby validates it', () => {
  for (const mode of [undefined, '', 'host', 'container:w', `container:${web.id}`, 'container:i']) validatePidMode(mode, lookup);
  for (const mode of ['private', 'container:', 'container', 'HOST', 'service:web']) {
    assert.throws(() => validatePidMode(mode, lookup), { code: 'invalid-argument', message: `invalid PID mode: ${mode}` });
  }
  // A bad request (400), not the lookup's 404: the mode names the container, not the URL.
  assert.throws(() => validatePidMode('container:gone', lookup), { code: 'invalid-argument', message: 'No such container: gone' });
});

test('the spec keeps a PID namespace of its own, shares the host\'s, or joins a running container\'s', () => {
  assert.deepEqual(namespacesFor(), [{ type: 'mount' }, { type: 'network' }, { type: 'pid' }, { type: 'ipc' }]);
  assert.deepEqual(namespacesFor('host'), [{ type: 'mount' }, { type: 'network' }, { type: 'ipc' }]);
  assert.deepEqual(namespacesFor('container:w'), [{ type: 'mount' }, { type: 'network' }, { type: 'pid', path: '/proc/4242/ns/pid' }, { type: 'ipc' }]);
  assert.throws(() => namespacesFor('container:i'), { code: 'conflict', message: /cannot join pid namespace of a non running container: container i is exited/ });
  assert.throws(() => namespacesFor('container:gone'), /joining pid namespace of container: No such container: gone/);
});
