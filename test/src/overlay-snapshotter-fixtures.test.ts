// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
// Not exported by @tsc-engine/core's index (yet): taken from the built package.
import { OverlaySnapshotter } from '../../packages/core/lib/snapshot/overlay-snapshotter.js';
import { buildFixtures, REPO_ROOT } from './support/fixture-registry.js';

const run = promisify(execFile);

interface Descriptor { mediaType: string; digest: string }

/** Reads an image of a fixture OCI layout: its layer descriptors and its config's diff ids. */
async function readImage(layout: string): Promise<{ layers: Descriptor[]; diffIds: string[] }> {
  const blob = async <T>(digest: string): Promise<T> =>
    JSON.parse(await readFile(join(layout, 'blobs', ...digest.split(':')), 'utf8')) as T;
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const manifest = await blob<{ config: Descriptor; layers: Descriptor[] }>(index.manifests[0].digest);
  const config = await blob<{ rootfs: { diff_ids: string[] } }>(manifest.config.digest);
  return { layers: manifest.layers, diffIds: config.rootfs.diff_ids };
}

function chainIds(diffIds: string[]): string[] {
  const ids: string[] = [];
  for (const diffId of diffIds) {
    const previous = ids.at(-1);
    ids.push(previous === undefined ? diffId : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`);
  }
  return ids;
}

async function tree(root: string, dir: string): Promise<string[]> {
  const lines: string[] = [];
  const stats = await lstat(join(root, dir));
  const type = stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : stats.isFile() ? 'f' : '?';
  lines.push(`${dir}\t${type}\t${(stats.mode & 0o7777).toString(8).padStart(4, '0')}`);
  if (stats.isDirectory()) for (const name of await readdir(join(root, dir))) lines.push(...(await tree(root, `${dir}/${name}`)));
  return lines;
}

describe('OverlaySnapshotter with the fixture images', () => {
  let fixtures: string;
  let dir: string;
  before(async () => {
    fixtures = await buildFixtures();
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-snapshot-fixtures-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unpacks the multilayer image in parallel into the expected root file system and runs busybox in it', async () => {
    const snapshotter = new OverlaySnapshotter(join(dir, 'overlay'));
    const { layers, diffIds } = await readImage(join(fixtures, 'oci/multilayer'));
    const chain = chainIds(diffIds);
    const applying: Array<Promise<unknown>> = [];
    for (const [i, layer] of layers.entries()) {
      const tar = createReadStream(join(fixtures, 'oci/multilayer/blobs', ...layer.digest.split(':'))).pipe(createGunzip());
      applying.push(snapshotter.applyLayer(chain[i], chain.slice(0, i), tar, {
        parentsReady: Promise.all(applying.slice(0, i)).then(() => undefined),
      }));
    }
    const applied = (await Promise.all(applying)) as Array<{ diffId: string }>;
    assert.deepEqual(applied.map((a) => a.diffId), diffIds);

    const target = join(dir, 'rootfs');
    await snapshotter.mountRootfs('fixture', chain, target);
    try {
      const expected = (await readFile(join(REPO_ROOT, 'test/fixtures/multilayer.expected'), 'utf8'))
        .split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      assert.deepEqual((await tree(target, '/data')).sort(), expected.sort());
      assert.equal(await readFile(join(target, 'data/hardlink-to-lower'), 'utf8'), 'lower\n');
      const { stdout } = await run('chroot', [target, '/bin/sh', '-c', 'echo hello from $(id -un); ls /data/opaque']);
      assert.equal(stdout, 'hello from root\nnew.txt\n');
    } finally {
      await snapshotter.removeRootfs('fixture', target);
    }
    assert.equal((await readFile('/proc/self/mountinfo', 'utf8')).includes(target), false);
  });
});
