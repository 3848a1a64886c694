// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { directorySize } from '../image/directory-size.js';
import { layerTar, type LayerTarEntry } from '../testing/layer-tar.js';
import { LayerUnpacker, type LayerUnpackOptions } from './layer-unpacker.js';

const MTIME = new Date('2020-09-13T12:26:40Z');

describe('LayerUnpacker', () => {
  let root: string;
  let layer: string;
  let sentinel: string;
  let n = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsc-engine-unpack-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // A fresh layer dir per test, and a sentinel dir beside it that nothing may touch.
    const dir = join(root, String(n++));
    layer = join(dir, 'layer');
    sentinel = join(dir, 'sentinel');
    await mkdir(layer, { recursive: true });
    await mkdir(sentinel);
    await writeFile(join(sentinel, 'file'), 'sentinel');
  });

  async function unpack(entries: LayerTarEntry[], options?: LayerUnpackOptions, into = layer) {
    await mkdir(into, { recursive: true });
    return new LayerUnpacker(into, options).unpack(Readable.from(await layerTar(entries)));
  }

  async function assertSentinelUntouched() {
    assert.deepEqual(await readdir(sentinel), ['file']);
    assert.equal(await readFile(join(sentinel, 'file'), 'utf8'), 'sentinel');
  }

  async function listTree(dir: string, prefix = ''): Promise<string[]> {
    const out: string[] = [];
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      out.push(`${prefix}${name}`);
      if ((await lstat(path)).isDirectory()) out.push(...(await listTree(path, `${prefix}${name}/`)));
    }
    return out;
  }

  it('unpacks files, dirs and symlinks with owners, modes and mtimes, and computes the diff id', async () => {
    const tar = await layerTar([
      { name: 'etc/', type: 'directory', mode: 0o755, mtime: MTIME },
      { name: 'etc/hostname', content: 'box\n', uid: 1000, gid: 1001, mtime: MTIME },
      { name: 'bin/', type: 'directory', mode: 0o700, uid: 5, gid: 6, mtime: MTIME },
      { name: 'bin/su', content: '#!', mode: 0o4755, uid: 0, gid: 0 },
      { name: 'bin/sg', content: '#!', mode: 0o2711, uid: 1000, gid: 50 },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', uid: 7, gid: 8, mtime: MTIME },
      { name: 'tmp/', type: 'directory', mode: 0o1777, mtime: MTIME },
    ]);
    // Registries' layers end with padding after the end-of-archive blocks: it is part of the diff id.
    const padded = Buffer.concat([tar, Buffer.alloc(10240)]);
    const result = await new LayerUnpacker(layer).unpack(Readable.from(padded));
    assert.equal(result.diffId, `sha256:${createHash('sha256').update(padded).digest('hex')}`);
    assert.equal(result.size, padded.length);

    const hostname = await stat(join(layer, 'etc/hostname'));
    assert.equal(await readFile(join(layer, 'etc/hostname'), 'utf8'), 'box\n');
    assert.deepEqual([hostname.uid, hostname.gid, hostname.mode & 0o7777, hostname.mtimeMs], [1000, 1001, 0o644, MTIME.getTime()]);
    assert.equal((await stat(join(layer, 'bin/su'))).mode & 0o7777, 0o4755);
    const sg = await stat(join(layer, 'bin/sg'));
    assert.deepEqual([sg.mode & 0o7777, sg.uid, sg.gid], [0o2711, 1000, 50]);
    const bin = await stat(join(layer, 'bin'));
    assert.deepEqual([bin.mode & 0o7777, bin.uid, bin.gid], [0o700, 5, 6]);
    // Directory mtimes survive the entries written into them afterwards.
    assert.equal(bin.mtimeMs, MTIME.getTime());
    assert.equal((await stat(join(layer, 'etc'))).mtimeMs, MTIME.getTime());
    assert.equal((await stat(join(layer, 'tmp'))).mode & 0o7777, 0o1777);
    const sh = await lstat(join(layer, 'bin/sh'));
    assert.ok(sh.isSymbolicLink());
    assert.equal(await readlink(join(layer, 'bin/sh')), '/bin/busybox');
    assert.deepEqual([sh.uid, sh.gid, sh.mtimeMs], [7, 8, MTIME.getTime()]);
  });

  it('unpacks long and unicode names', async () => {
    const longDir = `${'d'.repeat(120)}/${'e'.repeat(120)}`;
    const longName = 'n'.repeat(200);
    await unpack([
      { name: `${longDir}/${longName}`, content: 'long' },
      { name: 'unicodé/ファイル-😀.txt', content: 'unicode' },
      { name: 'l', type: 'symlink', linkname: `${longDir}/${longName}` },
    ]);
    assert.equal(await readFile(join(layer, longDir, longName), 'utf8'), 'long');
    assert.equal(await readFile(join(layer, 'unicodé/ファイル-😀.txt'), 'utf8'), 'unicode');
    assert.equal(await readFile(join(layer, 'l'), 'utf8'), 'long');
  });

  it('streams a layer larger than the batches in flight to its thread, split at any byte', async () => {
    const big = Buffer.alloc(5 << 20);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const small = Array.from({ length: 200 }, (_, i) => ({ name: `many/${i}`, content: `file ${i}` }));
    const tar = await layerTar([...small.slice(0, 100), { name: 'big', content: big }, ...small.slice(100)]);
    // Odd-sized chunks, so batches end inside headers and file data.
    const chunks = Array.from({ length: Math.ceil(tar.length / 7919) }, (_, i) => tar.subarray(i * 7919, (i + 1) * 7919));
    const result = await new LayerUnpacker(layer).unpack(Readable.from(chunks));
    assert.equal(result.diffId, `sha256:${createHash('sha256').update(tar).digest('hex')}`);
    assert.ok((await readFile(join(layer, 'big'))).equals(big));
    assert.equal(await readFile(join(layer, 'many/150'), 'utf8'), 'file 150');
    assert.equal((await readdir(join(layer, 'many'))).length, 200);
  });

  it('decompresses a gzip layer on its thread and counts the unpacked bytes as a walk of the layer would', async () => {
    const lower = join(root, `lower-${n}`);
    await unpack([{ name: 'shared', content: 'in the lower layer' }], {}, lower);
    const tar = await layerTar([
      { name: 'bin/busybox', content: 'b'.repeat(3000), mode: 0o755 },
      { name: 'bin/ls', type: 'link', linkname: 'bin/busybox' },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
      { name: 'bin/sh2', type: 'link', linkname: 'bin/sh' },
      { name: 'etc/motd', content: 'first version, longer than the second' },
      { name: 'etc/motd', content: 'second' },
      { name: 'gone/a', content: 'removed with its directory' },
      { name: 'gone', content: 'now a file' },
      { name: 'linked-down', type: 'link', linkname: 'shared' },
      { name: 'orphan', content: 'x'.repeat(100) },
      { name: 'orphan-link', type: 'link', linkname: 'orphan' },
      { name: 'orphan', content: 'y' },
      { name: '.wh.deleted' },
      { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 },
    ]);
    // Chunks that split the gzip stream anywhere.
    const gz = gzipSync(tar);
    const chunks = Array.from({ length: Math.ceil(gz.length / 101) }, (_, i) => gz.subarray(i * 101, (i + 1) * 101));
    const result = await new LayerUnpacker(layer, { compression: 'gzip', lowerDirs: [lower], parentsReady: Promise.resolve() })
      .unpack(Readable.from(chunks));
    assert.equal(result.diffId, `sha256:${createHash('sha256').update(tar).digest('hex')}`);
    assert.equal(result.size, tar.length);
    assert.equal(await readFile(join(layer, 'bin/ls'), 'utf8'), 'b'.repeat(3000));
    assert.equal(await readFile(join(layer, 'orphan-link'), 'utf8'), 'x'.repeat(100));
    assert.equal(result.unpackedSize, await directorySize(layer));
    assert.equal(result.unpackedSize, 3000 + '/bin/busybox'.length + 'second'.length + 'now a file'.length + 'in the lower layer'.length + 100 + 1);
  });

  it('refuses a corrupt gzip layer', async () => {
    const gz = gzipSync(await layerTar([{ name: 'a', content: 'a'.repeat(5000) }]));
    gz.fill(0x55, 20, 60);
    await assert.rejects(new LayerUnpacker(layer, { compression: 'gzip' }).unpack(Readable.from(gz)), /invalid|incorrect|unknown/i);
  });

  it('unpacks layer after layer on warm threads, and after a failed one', async () => {
    LayerUnpacker.warm(2);
    const gz = gzipSync(await layerTar([{ name: 'a', content: 'a'.repeat(5000) }]));
    gz.fill(0x55, 20, 60);
    await mkdir(join(layer, 'bad'));
    await assert.rejects(new LayerUnpacker(join(layer, 'bad'), { compression: 'gzip' }).unpack(Readable.from(gz)));
    for (const name of ['one', 'two', 'three']) {
      const { diffId } = await unpack([{ name, content: name }], {}, join(layer, name));
      assert.equal(await readFile(join(layer, name, name), 'utf8'), name);
      assert.equal(diffId, `sha256:${createHash('sha256').update(await layerTar([{ name, content: name }])).digest('hex')}`);
    }
  });

  it('stops a job whose source fails, after its thread confirms, while more jobs than threads go on', async () => {
    const jobs = availableParallelism() + 1;
    const tar = await layerTar(Array.from({ length: 300 }, (_, i) => ({ name: `f/${i}`, content: 'x'.repeat(3000) })));
    async function* failing() {
      yield tar.subarray(0, 700_000); // more than a batch, so the thread has begun writing
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('connection reset');
    }
    const dirs = Array.from({ length: jobs }, (_, i) => join(layer, `job-${i}`));
    await Promise.all(dirs.map((dir) => mkdir(dir)));
    const [failed, ...others] = await Promise.allSettled([
      new LayerUnpacker(dirs[0]).unpack(Readable.from(failing())),
      ...dirs.slice(1).map((dir) => new LayerUnpacker(dir).unpack(Readable.from([tar]))),
    ]);
    assert.equal(failed.status, 'rejected');
    assert.match(String((failed as PromiseRejectedResult).reason), /connection reset/);
    // Settled means stopped: nothing is written into the directory afterwards.
    const written = await readdir(join(dirs[0], 'f'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await readdir(join(dirs[0], 'f')), written);
    assert.ok(written.length > 0 && written.length < 300);
    for (const [i, result] of others.entries()) {
      assert.equal(result.status, 'fulfilled');
      assert.equal((await readdir(join(dirs[i + 1], 'f'))).length, 300);
    }
  });

  it('converts whiteouts to 0/0 char devices and opaque markers to the overlay xattr', async () => {
    await unpack([
      { name: 'etc/.wh.passwd', mtime: MTIME },
      { name: 'var/cache/.wh..wh..opq' },
      { name: 'var/cache/new', content: 'new' },
      { name: 'kept', content: 'same layer' },
      { name: '.wh.kept' },
      { name: '.wh..wh.plnk' },
    ]);
    const whiteout = await lstat(join(layer, 'etc/passwd'));
    assert.ok(whiteout.isCharacterDevice());
    assert.equal(whiteout.rdev, 0);
    assert.equal(getxattr(join(layer, 'var/cache'), 'trusted.overlay.opaque'), 'y');
    assert.equal(await readFile(join(layer, 'var/cache/new'), 'utf8'), 'new');
    // A whiteout only hides lower files: an entry of the same layer stays.
    assert.equal(await readFile(join(layer, 'kept'), 'utf8'), 'same layer');
    assert.deepEqual(await listTree(layer), ['etc', 'etc/passwd', 'kept', 'var', 'var/cache', 'var/cache/new']);
    assert.equal((await stat(join(layer, 'etc'))).mtimeMs > 0, true);
  });

  it('makes device nodes and fifos', async () => {
    await unpack([
      { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660, gid: 6 },
      { name: 'run/fifo', type: 'fifo', mode: 0o600, uid: 1000 },
    ]);
    const devNull = await lstat(join(layer, 'dev/null'));
    assert.ok(devNull.isCharacterDevice());
    assert.deepEqual([devNull.rdev, devNull.mode & 0o7777], [(1 << 8) | 3, 0o666]);
    const loop = await lstat(join(layer, 'dev/loop0'));
    assert.ok(loop.isBlockDevice());
    assert.deepEqual([loop.rdev, loop.gid], [7 << 8, 6]);
    const fifo = await lstat(join(layer, 'run/fifo'));
    assert.ok(fifo.isFIFO());
    assert.deepEqual([fifo.uid, fifo.mode & 0o7777], [1000, 0o600]);
  });

  it('links hardlinks within the layer', async () => {
    await unpack([
      { name: 'bin/busybox', content: 'bb', mode: 0o755 },
      { name: 'bin/ls', type: 'link', linkname: 'bin/busybox' },
      { name: 'usr/bin/env', type: 'link', linkname: '/bin/busybox' },
    ]);
    const busybox = await stat(join(layer, 'bin/busybox'));
    assert.equal((await stat(join(layer, 'bin/ls'))).ino, busybox.ino);
    assert.equal((await stat(join(layer, 'usr/bin/env'))).ino, busybox.ino);
  });

  it('links hardlinks to files of lower layers once the parents are ready', async () => {
    const lower = join(root, `lower-${n}`);
    await mkdir(lower);
    let release!: () => void;
    const parentsReady = new Promise<void>((resolve) => (release = resolve));
    const unpacking = unpack([{ name: 'data/copy', type: 'link', linkname: 'data/original' }], { lowerDirs: [lower], parentsReady });
    // The lower layer is still being unpacked when the hardlink entry arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await unpack([{ name: 'data/original', content: 'lower', mode: 0o640, uid: 3 }], {}, lower);
    release();
    await unpacking;
    const copy = await stat(join(layer, 'data/copy'));
    assert.equal(await readFile(join(layer, 'data/copy'), 'utf8'), 'lower');
    assert.deepEqual([copy.mode & 0o7777, copy.uid], [0o640, 3]);
  });

  it('searches lower layers top first and stops at a whiteout', async () => {
    const bottom = join(root, `bottom-${n}`);
    const middle = join(root, `middle-${n}`);
    await unpack([{ name: 'a', content: 'bottom' }, { name: 'b', content: 'bottom' }], {}, bottom);
    await unpack([{ name: 'a', content: 'middle' }, { name: '.wh.b' }], {}, middle);
    await unpack([{ name: 'link-a', type: 'link', linkname: 'a' }], { lowerDirs: [middle, bottom] });
    assert.equal(await readFile(join(layer, 'link-a'), 'utf8'), 'middle');
    await assert.rejects(
      unpack([{ name: 'link-b', type: 'link', linkname: 'b' }], { lowerDirs: [middle, bottom] }, join(layer, 'x')),
      (error: Error) => errorCodeOf(error) === 'invalid-argument' && /link-b.*deleted/.test(error.message),
    );
  });

  it('replaces earlier entries of the same layer instead of writing through them', async () => {
    await unpack([
      { name: 'x', type: 'symlink', linkname: join(sentinel, 'file') },
      { name: 'x', content: 'replaced' },
      { name: 'd/f', content: 'old' },
      { name: 'd', content: 'now a file' },
      { name: 'e', content: 'file' },
      { name: 'e/', type: 'directory' },
      { name: 'e/inner', content: 'inner' },
    ]);
    assert.equal(await readFile(join(layer, 'x'), 'utf8'), 'replaced');
    assert.equal(await readFile(join(layer, 'd'), 'utf8'), 'now a file');
    assert.equal(await readFile(join(layer, 'e/inner'), 'utf8'), 'inner');
    await assertSentinelUntouched();
  });

  describe('confinement', () => {
    it('keeps ../ and absolute names inside the layer', async () => {
      await unpack([
        { name: '../sentinel/file', content: 'pwned' },
        { name: '../../x', content: 'dotdot' },
        { name: '/abs', content: 'abs' },
        { name: 'a/../../sentinel/new', content: 'deep' },
        { name: 'a/b/../../../../deep', content: 'deeper' },
      ]);
      await assertSentinelUntouched();
      assert.deepEqual(await listTree(layer), ['abs', 'deep', 'sentinel', 'sentinel/file', 'sentinel/new', 'x']);
      assert.equal(await readFile(join(layer, 'sentinel/file'), 'utf8'), 'pwned');
    });

    it('resolves a symlink escaping the layer inside it when writing through it', async () => {
      await unpack([
        { name: 'a', type: 'symlink', linkname: '/etc' },
        { name: 'a/tsc-engine-pwned', content: 'pwned' },
        { name: 'rel', type: 'symlink', linkname: '../sentinel' },
        { name: 'rel/file', content: 'pwned' },
        { name: 'abs', type: 'symlink', linkname: sentinel },
        { name: 'abs/new', content: 'pwned' },
        { name: 'up', type: 'symlink', linkname: '..' },
        { name: 'up/up/up/sentinel/x', content: 'pwned' },
      ]);
      await assertSentinelUntouched();
      assert.equal(existsSync('/etc/tsc-engine-pwned'), false);
      assert.equal(await readFile(join(layer, 'etc/tsc-engine-pwned'), 'utf8'), 'pwned');
      assert.equal(await readFile(join(layer, 'sentinel/file'), 'utf8'), 'pwned');
      assert.equal(await readFile(join(layer, sentinel, 'new'), 'utf8'), 'pwned');
      assert.equal(await readFile(join(layer, 'sentinel/x'), 'utf8'), 'pwned');
      // The symlinks themselves keep their targets: they are resolved in the container, not on the host.
      assert.equal(await readlink(join(layer, 'a')), '/etc');
    });

    it('refuses hardlinks to host files', async () => {
      for (const linkname of ['/etc/passwd', '../../../../etc/passwd', join(sentinel, 'file'), '../sentinel/file']) {
        await assert.rejects(
          unpack([{ name: 'stolen', type: 'link', linkname }]),
          (error: Error) => errorCodeOf(error) === 'invalid-argument' && error.message.includes('"stolen"'),
          linkname,
        );
      }
      await assertSentinelUntouched();
    });

    it('refuses hardlinks through symlinked dirs, in the layer or below it', async () => {
      const lower = join(root, `lower-${n}`);
      await unpack([{ name: 'hostetc', type: 'symlink', linkname: '/etc' }], {}, lower);
      await assert.rejects(
        unpack([{ name: 'd', type: 'symlink', linkname: '/etc' }, { name: 'stolen', type: 'link', linkname: 'd/passwd' }]),
        (error: Error) => errorCodeOf(error) === 'invalid-argument' && error.message.includes('"stolen"'),
      );
      await assert.rejects(
        unpack([{ name: 'stolen', type: 'link', linkname: 'hostetc/passwd' }], { lowerDirs: [lower] }, join(layer, 'y')),
        (error: Error) => errorCodeOf(error) === 'invalid-argument' && /symlink/.test(error.message),
      );
      await assertSentinelUntouched();
    });

    it('refuses entries under a non-directory and hardlinks to directories', async () => {
      await assert.rejects(unpack([{ name: 'f', content: 'x' }, { name: 'f/g', content: 'y' }]), /"f\/g": parent "f" is not a directory/);
      await assert.rejects(unpack([{ name: 'dir/', type: 'directory' }, { name: 'l', type: 'link', linkname: 'dir' }], {}, join(layer, 'z')),
        /hardlink to directory/);
    });

    it('gives up on symlink loops', async () => {
      await assert.rejects(
        unpack([{ name: 'loop', type: 'symlink', linkname: 'loop' }, { name: 'loop/x', content: 'x' }]),
        /too many levels of symlinks/,
      );
    });
  });
});

function getxattr(path: string, name: string): string {
  return execFileSync('/usr/bin/python3', ['-c', 'import os,sys; sys.stdout.write(os.getxattr(sys.argv[1], sys.argv[2]).decode())', path, name])
    .toString();
}
