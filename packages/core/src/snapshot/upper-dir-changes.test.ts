// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import { ChangeKind } from '../api/image-build.js';
import { upperDirChanges } from './upper-dir-changes.js';
import { upperDirTar } from './upper-dir-tar.js';

/** A lower layer and an upper dir as overlayfs leaves them (needs root: whiteouts are device nodes). */
describe('container writable layer', () => {
  let dir: string;
  let lower: string;
  let upper: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upper-dir-'));
    lower = join(dir, 'lower');
    upper = join(dir, 'upper');
    for (const path of ['etc', 'keep/sub', 'gone-dir/x']) await mkdir(join(lower, path), { recursive: true });
    for (const path of ['etc/passwd', 'keep/old.txt', 'keep/sub/s.txt', 'gone-dir/x/f']) await writeFile(join(lower, path), 'lower\n');
    for (const path of ['etc', 'keep/sub', 'new-dir', 'proc']) await mkdir(join(upper, path), { recursive: true });
    await writeFile(join(upper, 'etc/passwd'), 'changed\n');
    await writeFile(join(upper, 'etc/hosts'), '');
    await writeFile(join(upper, 'keep/sub/t.txt'), 'new\n');
    await writeFile(join(upper, 'new-dir/n.txt'), 'new\n');
    execFileSync('mknod', [join(upper, 'keep/old.txt'), 'c', '0', '0']);
    execFileSync('mknod', [join(upper, 'gone-dir'), 'c', '0', '0']);
    execFileSync('python3', ['-c', `import os; os.setxattr(${JSON.stringify(join(upper, 'keep/sub'))}, 'trusted.overlay.opaque', b'y')`]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists changes as docker diff does, leaving out the engine\'s mount point stubs', async () => {
    const changes = await upperDirChanges(upper, [lower]);
    assert.deepEqual(
      changes.map(({ Path, Kind }) => `${['C', 'A', 'D'][Kind]} ${Path}`),
      ['C /etc', 'C /etc/passwd', 'D /gone-dir', 'C /keep', 'D /keep/old.txt', 'C /keep/sub', 'A /keep/sub/t.txt', 'A /new-dir', 'A /new-dir/n.txt'],
    );
    assert.equal(changes[0].Kind, ChangeKind.Modified);
  });

  it('packs whiteouts and opaque directories in their OCI form', async () => {
    const names: string[] = [];
    const tar = extract();
    upperDirTar(upper).pipe(tar);
    for await (const entry of tar) {
      names.push(entry.header.name);
      entry.resume();
    }
    assert.deepEqual(names, [
      'etc/', 'etc/passwd', '.wh.gone-dir', 'keep/', 'keep/.wh.old.txt', 'keep/sub/', 'keep/sub/.wh..wh..opq', 'keep/sub/t.txt', 'new-dir/', 'new-dir/n.txt',
    ]);
  });
});
