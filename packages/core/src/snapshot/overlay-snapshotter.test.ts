// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { directorySize } from '../image/directory-size.js';
import { hostCommand } from '../network/host-command.js';
import { layerTar, type LayerTarEntry } from '../testing/layer-tar.js';
import { OverlaySnapshotter } from './overlay-snapshotter.js';

/** Chain ids as the image spec computes them from diff ids. */
function chainIds(diffIds: string[]): string[] {
  const ids: string[] = [];
  for (const diffId of diffIds) {
    const previous = ids.at(-1);
    ids.push(previous === undefined ? diffId : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`);
  }
  return ids;
}

const diffIdOf = (tar: Buffer) => `sha256:${createHash('sha256').update(tar).digest('hex')}`;

async function mountinfo(): Promise<string> {
  return readFile('/proc/self/mountinfo', 'utf8');
}

describe('OverlaySnapshotter', () => {
  let dir: string;
  let snapshotter: OverlaySnapshotter;
  let tars: Buffer[];
  let chain: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-overlay-'));
    snapshotter = new OverlaySnapshotter(join(dir, 'root'));
    const layers: LayerTarEntry[][] = [
      [
        { name: 'bin/', type: 'directory' },
        { name: 'bin/busybox', content: 'busybox', mode: 0o755 },
        { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
        { name: 'etc/shadow', content: 'secret' },
        { name: 'var/cache/old', content: 'old' },
        { name: 'var/cache/sub/older', content: 'older' },
      ],
      [
        { name: 'etc/.wh.shadow' },
        { name: 'var/cache/.wh..wh..opq' },
        { name: 'var/cache/new', content: 'new' },
        { name: 'bin/sh', type: 'link', linkname: 'bin/busybox' },
      ],
      [{ name: 'etc/hostname', content: 'top\n' }],
    ];
    tars = await Promise.all(layers.map((entries) => layerTar(entries)));
    chain = chainIds(tars.map(diffIdOf));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unpacks layers in parallel, the top one waiting for its parents for a hardlink to a lower file', async () => {
    const ready: Array<Promise<unknown>> = [];
    const applied = await Promise.all(tars.map((tar, i) => {
      const applying = snapshotter.applyLayer(chain[i], chain.slice(0, i), Readable.from(tar), {
        parentsReady: Promise.all(ready.slice(0, i)).then(() => undefined),
      });
      ready.push(applying);
      return applying;
    }));
    assert.deepEqual(applied.map((a) => a.diffId), tars.map(diffIdOf));
    assert.deepEqual(applied.map((a) => a.size), tars.map((t) => t.length));
    for (const id of chain) assert.equal(await snapshotter.hasLayer(id), true);
    assert.equal(snapshotter.layerPath(chain[0]), join(dir, 'root/layers', chain[0].slice(7), 'fs'));
    assert.equal(await readFile(join(snapshotter.layerPath(chain[1]), 'bin/sh'), 'utf8'), 'busybox');
    assert.deepEqual((await readdir(join(dir, 'root/layers'))).sort(), chain.map((c) => c.slice(7)).sort());
  });

  it('returns the diff id of a layer it already has without unpacking it again', async () => {
    const applied = await snapshotter.applyLayer(chain[0], [], Readable.from(tars[0]));
    assert.equal(applied.diffId, diffIdOf(tars[0]));
    const compressed = await snapshotter.applyLayer(chain[0], [], Readable.from(gzipSync(tars[0])), { compression: 'gzip' });
    assert.equal(compressed.diffId, diffIdOf(tars[0]));
  });

  it('knows the size of each layer it unpacked without walking it, and walks layers unpacked before it counted', async () => {
    for (const id of chain) assert.equal(await snapshotter.layerSize(id), await directorySize(snapshotter.layerPath(id)));
    assert.equal(await snapshotter.layerSize(chain[0]), 'busybox'.length + 'root:x:0:0::/root:/bin/sh\n'.length + 'secret'.length + 'old'.length + 'older'.length);
    await rm(join(dir, 'root/layers', chain[2].slice(7), 'size'));
    assert.equal(await snapshotter.layerSize(chain[2]), 'top\n'.length);
  });

  it('mounts a writable overlay root over the layers and removes it without leftovers', async () => {
    const target = join(dir, 'rootfs');
    await snapshotter.mountRootfs('c1', chain, target);
    try {
      const line = (await mountinfo()).split('\n').find((l) => l.includes(` ${target} `)) ?? '';
      assert.ok(line, 'mounted');
      assert.doesNotMatch(line, /\bvolatile\b/, 'a container that outlives its exit keeps what it synced');
      assert.deepEqual((await readdir(target)).sort(), ['bin', 'etc', 'var']);
      assert.deepEqual((await readdir(join(target, 'etc'))).sort(), ['hostname', 'passwd']);
      assert.deepEqual(await readdir(join(target, 'var/cache')), ['new']);
      assert.equal(await readFile(join(target, 'bin/sh'), 'utf8'), 'busybox');
      assert.equal(await readFile(join(target, 'etc/hostname'), 'utf8'), 'top\n');

      await writeFile(join(target, 'etc/passwd'), 'changed\n');
      await writeFile(join(target, 'written'), 'by the container');
      await rm(join(target, 'bin/busybox'));
      assert.equal(await readFile(join(dir, 'root/containers/c1/upper/written'), 'utf8'), 'by the container');
      // Lower layers stay as they were.
      assert.equal(await readFile(join(snapshotter.layerPath(chain[0]), 'etc/passwd'), 'utf8'), 'root:x:0:0::/root:/bin/sh\n');
      assert.equal((await stat(join(snapshotter.layerPath(chain[0]), 'bin/busybox'))).isFile(), true);
    } finally {
      await snapshotter.removeRootfs('c1', target);
    }
    assert.equal((await mountinfo()).includes(` ${target} `), false);
    await assert.rejects(stat(join(dir, 'root/containers/c1')), { code: 'ENOENT' });
    // Removing an unmounted rootfs again is harmless.
    await snapshotter.removeRootfs('c1', target);
  });

  it('mounts transient roots volatile, and mounts a layer again after an unmount that left it in place (a reboot)', async () => {
    const target = join(dir, 'rootfs-again');
    await snapshotter.mountRootfs('c-again', chain, target, { transient: true });
    try {
      const line = (await mountinfo()).split('\n').find((l) => l.includes(` ${target} `)) ?? '';
      // The kernel shows the option as `fsync=volatile` (6.x) or `volatile` (5.10).
      assert.match(line, /\bvolatile\b/);
      await writeFile(join(target, 'written'), 'before the reboot');
      await hostCommand('umount', [target]);
      // The work dir now holds overlayfs' volatile mark, which would make a plain mount fail.
      await snapshotter.mountRootfs('c-again', chain, target, { transient: true });
      assert.equal(await readFile(join(target, 'written'), 'utf8'), 'before the reboot');
    } finally {
      await snapshotter.removeRootfs('c-again', target);
    }
    assert.equal((await mountinfo()).includes(` ${target} `), false);
  });

  it('mounts single-layer, layer-less and many-layer roots', async () => {
    const many: string[] = [];
    for (let i = 0; i < 40; i++) {
      const tar = await layerTar([{ name: `layer-${i}`, content: String(i) }]);
      // Distinct ids suffice: the snapshotter does not recompute chain ids.
      many.push(`sha256:${createHash('sha256').update(`many ${i}`).digest('hex')}`);
      await snapshotter.applyLayer(many[i], many.slice(0, i), Readable.from(tar));
    }
    const cases: Array<[string, string[], string[]]> = [
      ['single', [chain[0]], ['bin', 'etc', 'var']],
      ['empty', [], []],
      ['many', many, many.map((_, i) => `layer-${i}`).sort()],
    ];
    for (const [id, layers, expected] of cases) {
      const target = join(dir, `rootfs-${id}`);
      await snapshotter.mountRootfs(id, layers, target);
      try {
        assert.deepEqual((await readdir(target)).sort(), expected);
      } finally {
        await snapshotter.removeRootfs(id, target);
      }
    }
    assert.equal((await mountinfo()).includes(join(dir, 'rootfs')), false);
    await Promise.all(many.map((id) => snapshotter.removeLayer(id)));
  });

  it('refuses unknown layers and bad container ids', async () => {
    const unknown = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(snapshotter.mountRootfs('c2', [unknown], join(dir, 'x')), (e: Error) => errorCodeOf(e) === 'not-found');
    await assert.rejects(snapshotter.mountRootfs('../c2', chain, join(dir, 'x')), (e: Error) => errorCodeOf(e) === 'invalid-argument');
  });

  it('leaves nothing behind when a layer fails to unpack, and cleans up after a crash', async () => {
    const hostile = await layerTar([{ name: 'stolen', type: 'link', linkname: '/etc/shadow' }]);
    const id = `sha256:${'1'.repeat(64)}`;
    await assert.rejects(snapshotter.applyLayer(id, [], Readable.from(hostile)), (e: Error) => errorCodeOf(e) === 'invalid-argument');
    assert.equal(await snapshotter.hasLayer(id), false);
    const layersDir = join(dir, 'root/layers');
    assert.deepEqual((await readdir(layersDir)).filter((name) => name.startsWith('.')), []);

    await mkdir(join(layersDir, '.tmp-crashed/fs/usr'), { recursive: true });
    await snapshotter.cleanup();
    assert.deepEqual((await readdir(layersDir)).sort(), chain.map((c) => c.slice(7)).sort());
  });

  it('stops unpacking when aborted', async () => {
    const controller = new AbortController();
    const endless = new Readable({ read() {} });
    endless.push(await layerTar([{ name: 'a', content: 'a' }]).then((t) => t.subarray(0, 1024)));
    const applying = snapshotter.applyLayer(`sha256:${'2'.repeat(64)}`, [], endless, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(applying, { name: 'AbortError' });
    assert.deepEqual((await readdir(join(dir, 'root/layers'))).filter((name) => name.startsWith('.')), []);
  });

  it('removes layers', async () => {
    await snapshotter.removeLayer(chain[2]);
    assert.equal(await snapshotter.hasLayer(chain[2]), false);
    await snapshotter.removeLayer(chain[2]);
  });
});
