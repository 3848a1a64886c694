// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary, ImageSummary } from '@tsc-engine/core/client';
import { containerListFormat, containerRow } from './container-list-format.js';
import { imageListFormat, imageRows } from './image-list-format.js';
import { renderList } from './list-output.js';

const now = 1_700_000_000_000;
const container: ContainerSummary = {
  Id: 'f'.repeat(64), Names: ['/web'], Image: 'busybox', ImageID: 'sha256:1', Command: 'sh -c while true; do sleep 1; done',
  Created: now / 1000 - 75, Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }],
  Labels: { a: 'b' }, State: 'running', Status: 'Up About a minute', HostConfig: { NetworkMode: 'bridge' },
  NetworkSettings: { Networks: { bridge: {} } }, Mounts: [],
};

test('ps: the default table matches docker ps', () => {
  assert.equal(
    renderList([containerRow(container, { truncate: true, now })], containerListFormat),
    'CONTAINER ID   IMAGE     COMMAND                  CREATED              STATUS              PORTS                          NAMES\n' +
      'ffffffffffff   busybox   "sh -c while true; d…"   About a minute ago   Up About a minute   0.0.0.0:8080->80/tcp, 53/udp   web\n',
  );
});

test('ps: json, plain templates with \\t, and table templates with headers', () => {
  const row = containerRow(container, { truncate: false, now });
  assert.equal(JSON.parse(renderList([row], containerListFormat, 'json')).ID, 'f'.repeat(64));
  assert.equal(renderList([row], containerListFormat, '{{.Names}}\\t{{.State}}'), 'web\trunning\n');
  assert.equal(renderList([row], containerListFormat, 'table {{.Names}}\\t{{.Labels}}'), 'NAMES     LABELS\nweb       a=b\n');
});

test('images: one row per tag, <none> for untagged images, decimal sizes', () => {
  const base: ImageSummary = {
    Id: `sha256:${'1'.repeat(64)}`, ParentId: '', RepoTags: ['busybox:latest', 'busybox:1.36'], RepoDigests: ['busybox@sha256:d'],
    Created: now / 1000 - 3 * 86400, Size: 4_260_000, SharedSize: -1, VirtualSize: 0, Labels: {}, Containers: -1,
  };
  const untagged = { ...base, Id: `sha256:${'2'.repeat(64)}`, RepoTags: [], RepoDigests: [] };
  assert.equal(
    renderList(imageRows([base, untagged], { truncate: true, now }), imageListFormat),
    'REPOSITORY   TAG       IMAGE ID       CREATED      SIZE\n' +
      'busybox      latest    111111111111   3 days ago   4.26MB\n' +
      'busybox      1.36      111111111111   3 days ago   4.26MB\n' +
      '<none>       <none>    222222222222   3 days ago   4.26MB\n',
  );
  assert.equal(renderList(imageRows([base], { truncate: true, now }), imageListFormat, '{{.Repository}}@{{.Digest}}'), 'busybox@sha256:d\nbusybox@sha256:d\n');
});
