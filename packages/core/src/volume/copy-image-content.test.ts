// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { copyImageContent } from './copy-image-content.js';

describe('copyImageContent', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-copy-up-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('copies into an empty volume keeping owners, modes and links, and gives the root the source\'s attributes', async () => {
    const source = join(dir, 'image-path');
    const volume = join(dir, 'volume');
    await mkdir(join(source, 'sub'), { recursive: true });
    await mkdir(volume);
    await writeFile(join(source, 'sub', 'file'), 'content');
    await chown(join(source, 'sub', 'file'), 1000, 2000);
    await chmod(join(source, 'sub', 'file'), 0o4755);
    await symlink('sub/file', join(source, 'link'));
    await chmod(source, 0o1777);
    await chown(source, 33, 33);

    assert.equal(await copyImageContent(source, volume), true);
    const file = await stat(join(volume, 'sub', 'file'));
    assert.deepEqual([file.uid, file.gid, file.mode & 0o7777], [1000, 2000, 0o4755]);
    assert.equal(await readFile(join(volume, 'sub', 'file'), 'utf8'), 'content');
    assert.equal(await readlink(join(volume, 'link')), 'sub/file');
    const root = await lstat(volume);
    assert.deepEqual([root.uid, root.gid, root.mode & 0o7777], [33, 33, 0o1777]);
  });

  it('leaves a volume with content, and a missing or non-directory source, alone', async () => {
    const volume = join(dir, 'volume');
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'new'), 'x');
    await mkdir(volume);
    await writeFile(join(volume, 'old'), 'y');
    assert.equal(await copyImageContent(join(dir, 'source'), volume), false);
    assert.equal(await copyImageContent(join(dir, 'absent'), join(dir, 'empty')), false);
    assert.equal(await copyImageContent(join(dir, 'source', 'new'), volume), false);
  });
});
