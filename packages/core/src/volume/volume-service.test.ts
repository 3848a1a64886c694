// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EngineConfig } from '../config/engine-config.js';
import type { EngineEvent } from '../events/engine-event.js';
import { InMemoryEventBus } from '../events/in-memory-event-bus.js';
import { VolumeService } from './volume-service.js';

describe('VolumeService', () => {
  let dataRoot: string;
  let events: EngineEvent[];
  const open = () => {
    const bus = new InMemoryEventBus();
    bus.subscribe((event) => events.push(event));
    return new VolumeService({ dataRoot } as EngineConfig, bus);
  };

  beforeEach(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'tsc-engine-volumes-'));
    events = [];
  });
  afterEach(() => rm(dataRoot, { recursive: true, force: true }));

  it('creates volumes on disk, idempotently, and finds them again after a restart', async () => {
    const volumes = open();
    const created = await volumes.create({ Name: 'data', Labels: { a: 'b' } });
    assert.equal(created.Mountpoint, join(dataRoot, 'volumes', 'data', '_data'));
    assert.deepEqual((await volumes.create({ Name: 'data' })).Labels, { a: 'b' }, 'an existing volume is returned as it is');
    assert.deepEqual(events.map((e) => `${e.Type} ${e.Action} ${e.Actor.ID}`), ['volume create data']);
    assert.deepEqual(await readdir(join(dataRoot, 'volumes')), ['data']);

    // Leftovers of a create or remove cut short by a crash are cleared, not listed.
    await mkdir(join(dataRoot, 'volumes', '.staging-0123', '_data'), { recursive: true });
    const restarted = open();
    assert.deepEqual((await restarted.list()).map((v) => [v.Name, v.Labels, v.Scope]), [['data', { a: 'b' }, 'local']]);
    assert.deepEqual(await readdir(join(dataRoot, 'volumes')), ['data']);
  });

  it('refuses bad names, other drivers and driver options', async () => {
    const volumes = open();
    await assert.rejects(volumes.create({ Name: '../x' }), { code: 'invalid-argument' });
    await assert.rejects(volumes.create({ Name: 'x1', Driver: 'nfs' }), { code: 'not-found' });
    await assert.rejects(volumes.create({ Name: 'x1', DriverOpts: { type: 'tmpfs' } }), { code: 'not-implemented' });
    assert.match((await volumes.create({})).Name, /^[0-9a-f]{64}$/);
  });

  it('refuses to remove a volume in use, naming its users, until they release it', async () => {
    const volumes = open();
    await volumes.acquire('c1', { name: 'shared' });
    await volumes.acquire('c2', { name: 'shared' });
    await assert.rejects(volumes.remove('shared'), { code: 'conflict', message: 'remove shared: volume is in use - [c1 c2]' });
    await assert.rejects(volumes.remove('shared', { force: true }), { code: 'conflict' });
    await volumes.release('c1', 'shared');
    await volumes.release('c2', 'shared', { removeIfAnonymous: true });
    assert.equal((await volumes.list()).length, 1, 'a named volume outlives its users');
    await volumes.remove('shared');
    await assert.rejects(volumes.inspect('shared'), { code: 'not-found', message: 'get shared: no such volume' });
    await volumes.remove('shared', { force: true });
  });

  it('removes anonymous volumes with their last user when asked', async () => {
    const volumes = open();
    const name = await volumes.acquire('c1', {});
    assert.deepEqual((await volumes.inspect(name)).Labels, { 'com.docker.volume.anonymous': '' });
    volumes.adopt('c2', [name]);
    await volumes.release('c1', name, { removeIfAnonymous: true });
    assert.equal((await volumes.list()).length, 1, 'still used by c2');
    await volumes.release('c2', name, { removeIfAnonymous: true });
    assert.deepEqual(await volumes.list(), []);
  });

  it('lists by filter and prunes unused volumes, anonymous only unless all', async () => {
    const volumes = open();
    await volumes.create({ Name: 'named', Labels: { keep: 'no' } });
    await volumes.create({ Name: 'labelled', Labels: { keep: 'yes' } });
    const anonymous = await volumes.acquire('c1', {});
    await volumes.acquire('c1', { name: 'used' });
    await volumes.release('c1', anonymous);
    await writeFile(join(volumes.dataPath(anonymous), 'f'), 'x'.repeat(100));

    assert.deepEqual((await volumes.list({ dangling: ['false'] })).map((v) => v.Name), ['used']);
    assert.deepEqual((await volumes.list({ label: ['keep=yes'] })).map((v) => v.Name), ['labelled']);
    assert.deepEqual((await volumes.list({ name: ['abel'] })).map((v) => v.Name), ['labelled']);
    await assert.rejects(volumes.list({ bogus: ['x'] }), { code: 'invalid-argument' });

    assert.deepEqual(await volumes.prune({ all: false }), { VolumesDeleted: [anonymous], SpaceReclaimed: 100 });
    assert.deepEqual(await volumes.prune({ all: true, notLabels: ['keep=yes'] }), { VolumesDeleted: ['named'], SpaceReclaimed: 0 });
    assert.deepEqual((await volumes.list()).map((v) => v.Name), ['labelled', 'used']);
  });
});
