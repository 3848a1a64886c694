// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import { packDirectoryContents, packPath } from './pack-path.js';

/** Each entry as `type name [-> linkname] size mode [major:minor] [data]`. */
async function entriesOf(tar: Readable): Promise<string[]> {
  const rows: string[] = [];
  const parser = extract();
  tar.pipe(parser);
  for await (const entry of parser) {
    const { type, name, linkname, size, mode, devmajor, devminor } = entry.header;
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const data = Buffer.concat(chunks).toString();
    const device = type === 'character-device' ? ` ${devmajor}:${devminor}` : '';
    rows.push(`${type} ${name}${linkname ? ` -> ${linkname}` : ''} ${size} ${(mode ?? 0).toString(8)}${device}${data ? ` ${data}` : ''}`);
  }
  return rows;
}

describe('packPath', () => {
  let dir: string;
  const close: (() => void)[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pack-path-'));
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'a.txt'), 'hello');
    await link(join(tree, 'a.txt'), join(tree, 'sub', 'hard'));
    await writeFile(join(tree, 'empty'), '');
    await symlink('../a.txt', join(tree, 'sub', 'link'));
    execFileSync('mkfifo', [join(tree, 'fifo')]);
    execFileSync('mknod', [join(tree, 'null'), 'c', '1', '3']);
    for (const [path, mode] of [['', 0o751], ['a.txt', 0o640], ['empty', 0o600], ['fifo', 0o620], ['null', 0o604], ['sub', 0o700]] as const) {
      await chmod(join(tree, path), mode);
    }
    // A socket cannot be archived: it is left out.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(tree, 'sock'), resolve));
    close.push(() => server.close());
  });
  after(async () => {
    for (const done of close) done();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every kind of file as tar does, hardlinks once then as links, named from the rebase name', async () => {
    assert.deepEqual(await entriesOf(packPath(join(dir, 'tree'), 'copy')), [
      'directory copy/ 0 751',
      'file copy/a.txt 5 640 hello',
      'file copy/empty 0 600',
      'fifo copy/fifo 0 620',
      'character-device copy/null 0 604 1:3',
      'directory copy/sub/ 0 700',
      'link copy/sub/hard -> copy/a.txt 0 640',
      'symlink copy/sub/link -> ../a.txt 0 777',
    ]);
    assert.deepEqual(await entriesOf(packPath(join(dir, 'tree', 'a.txt'), 'x')), ['file x 5 640 hello']);
  });

  it("packs a directory's contents without an entry of its own", async () => {
    const names = (await entriesOf(packDirectoryContents(join(dir, 'tree')))).map((row) => row.split(' ')[1]);
    assert.deepEqual(names, ['a.txt', 'empty', 'fifo', 'null', 'sub/', 'sub/hard', 'sub/link']);
  });
});
