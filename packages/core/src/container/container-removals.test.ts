// SPDX-License-Identifier: Apache-2.0
// The bookkeeping of ContainerRemovals, over a snapshotter faked at its boundary (the end-to-end test with real
// overlays and a killed daemon is test/src/container-removal.test.ts).
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Snapshotter } from '../snapshot/snapshotter.js';
import { ContainerRemovals } from './container-removals.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'container-removals-test-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A snapshotter whose removeRootfs waits for `release()`, recording what it was asked to remove. */
function slowSnapshotter() {
  const removed: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const snapshotter = {
    async removeRootfs(id: string, target: string) {
      await released;
      assert.equal(target, join(dir, 'bundles', id, 'rootfs'));
      removed.push(id);
    },
  } as unknown as Snapshotter;
  return { snapshotter, removed, release };
}

/** settled() stays pending until the snapshotter is released, then resolves. */
async function assertSettledWaitsFor(removals: ContainerRemovals, release: () => void): Promise<void> {
  let settled = false;
  const settling = removals.settled().then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false);
  release();
  await settling;
}

test('a removal runs after remove() returns, and settled() waits for it and then the bundle is gone', async () => {
  const bundles = join(dir, 'bundles');
  await mkdir(join(bundles, 'a', 'rootfs'), { recursive: true });
  const { snapshotter, removed, release } = slowSnapshotter();
  const removals = new ContainerRemovals(snapshotter, bundles);
  removals.remove('a');
  await assertSettledWaitsFor(removals, release);
  assert.deepEqual(removed, ['a']);
  await assert.rejects(access(join(bundles, 'a')), { code: 'ENOENT' });
});

test('a sweep removes the bundles and tasks of unknown containers only, and a failure is a warning', async () => {
  const bundles = join(dir, 'swept');
  for (const id of ['kept', 'orphan', 'broken']) await mkdir(join(bundles, id, 'rootfs'), { recursive: true });
  const removed: string[] = [];
  const deletedTasks: string[] = [];
  const snapshotter = {
    async removeRootfs(id: string) {
      if (id === 'broken') throw new Error('umount failed');
      removed.push(id);
    },
  } as unknown as Snapshotter;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    await new ContainerRemovals(snapshotter, bundles).sweep(new Set(['kept', 'running']), ['running', 'orphan', 'taskonly'], async (id) => {
      deletedTasks.push(id);
    });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(removed.sort(), ['orphan', 'taskonly']);
  assert.deepEqual(deletedTasks.sort(), ['orphan', 'taskonly']);
  assert.deepEqual((await readdir(bundles)).sort(), ['broken', 'kept']);
  assert.deepEqual(warnings, ['container broken: removing its rootfs: umount failed']);
});

test('the task goes side by side with the rootfs, settled() waits for both, and its failure is a warning', async () => {
  const bundles = join(dir, 'bundles');
  await mkdir(join(bundles, 'b', 'rootfs'), { recursive: true });
  const { snapshotter, removed, release } = slowSnapshotter();
  const removals = new ContainerRemovals(snapshotter, bundles);
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    let taskStarted = false;
    removals.remove('b', async () => {
      taskStarted = true;
      throw new Error('runtime delete failed');
    });
    assert.equal(taskStarted, true, 'the task does not wait for the rootfs');
    await assertSettledWaitsFor(removals, release);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(removed, ['b']);
  assert.deepEqual(warnings, ['container b: removing its task: runtime delete failed']);
});

test('without a bundles dir a sweep has nothing to do', async () => {
  await new ContainerRemovals({} as Snapshotter, join(dir, 'missing')).sweep(new Set(), [], async () => undefined);
});
