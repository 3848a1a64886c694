// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContainerSpec } from '../runtime/container-spec-builder.js';
import { mergeTmpfsOptions, toOciMounts } from './oci-mounts.js';

describe('toOciMounts', () => {
  it('binds volumes and host paths recursively, parents first, with tmpfs defaults', () => {
    const mounts = toOciMounts(
      [
        { type: 'volume', name: 'v', source: '/vols/v/_data', destination: '/data/cache', readOnly: false, mode: 'z', propagation: '' },
        { type: 'bind', source: '/host', destination: '/data', readOnly: true, mode: 'ro', propagation: 'rslave' },
        { type: 'tmpfs', source: '', destination: '/t', readOnly: false, mode: '', propagation: '', tmpfsOptions: ['size=1m'] },
      ],
      { '/run': 'exec,size=2m' },
    );
    assert.deepEqual(mounts, [
      { destination: '/data', type: 'bind', source: '/host', options: ['rbind', 'ro', 'rslave'] },
      { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=1m'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rprivate', 'exec', 'size=2m'] },
      { destination: '/data/cache', type: 'bind', source: '/vols/v/_data', options: ['rbind', 'rprivate'] },
    ]);
  });

  it('lets later tmpfs options win', () => {
    assert.deepEqual(mergeTmpfsOptions(['noexec', 'size=1m', 'ro', 'exec', 'size=2m', 'rw']), ['exec', 'size=2m', 'rw']);
  });

  it('replaces a default mount at the same destination in the spec', async () => {
    const spec = await buildContainerSpec({
      id: 'c'.repeat(64),
      rootfs: '/nonexistent-rootfs',
      image: { Cmd: ['true'], User: '0:0' },
      mounts: toOciMounts([], { '/dev/shm': 'size=1m' }),
    });
    const shm = spec.mounts.filter((m) => m.destination === '/dev/shm');
    assert.equal(shm.length, 1);
    assert.ok(shm[0].options?.includes('size=1m'));
  });
});
