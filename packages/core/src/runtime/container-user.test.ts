// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveAdditionalGroups } from './container-user.js';

describe('resolveAdditionalGroups', () => {
  let rootfs: string;
  before(async () => {
    rootfs = await mkdtemp(join(tmpdir(), 'rootfs-'));
    await mkdir(join(rootfs, 'etc'));
    await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\naudio:x:29:alice\n');
  });
  after(() => rm(rootfs, { recursive: true, force: true }));

  it('takes names from the image, and numbers whether listed or not', async () => {
    assert.deepEqual(await resolveAdditionalGroups(rootfs, ['audio', '29', '4242']), [29, 29, 4242]);
    assert.deepEqual(await resolveAdditionalGroups(rootfs, []), []);
  });

  it('refuses an unknown name', async () => {
    await assert.rejects(resolveAdditionalGroups(rootfs, ['video']), /unable to find group video: no matching entries in group file/);
  });
});
