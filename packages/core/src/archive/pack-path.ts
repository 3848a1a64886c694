// SPDX-License-Identifier: Apache-2.0
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;
import { major, minor } from './device-number.js';

/**
 * A tar stream of `source` (a file, or a directory and everything under it) whose entries are named from
 * `rebaseName` down (`etc/`, `etc/passwd` for a directory asked as `/etc`; `hostname` for `/etc/hostname`), as
 * moby's `TarResourceRebase` names them and the docker CLI expects. Nothing is followed: symlinks go in as
 * symlinks, and files are opened with O_NOFOLLOW. Files met again through another hardlink go in as links.
 */
export function packPath(source: string, rebaseName: string): Readable {
  return packEntries((add) => add(source, rebaseName));
}

/**
 * A tar stream of what the directory `source` holds, named relative to it (`bin/`, `etc/passwd`) with no entry for
 * the directory itself: moby's `TarWithOptions` of a whole tree, which `docker export` writes.
 */
export function packDirectoryContents(source: string): Readable {
  return packEntries(async (add) => {
    for (const child of (await readdir(source)).sort()) await add(join(source, child), child);
  });
}

/** A tar stream of what `addAll` adds, each path with everything under it, as {@link packPath} describes. */
function packEntries(addAll: (add: (path: string, name: string) => Promise<void>) => Promise<void>): Readable {
  const pack = tarPack();
  const seen = new Map<string, string>();
  const add = async (path: string, name: string): Promise<void> => {
    const stats = await lstat(path);
    if (stats.isDirectory()) {
      await entry(pack, { ...common(stats, `${name}/`), type: 'directory' });
      const children = (await readdir(path)).sort();
      for (const child of children) await add(join(path, child), `${name}/${child}`);
    } else if (stats.isSymbolicLink()) {
      await entry(pack, { ...common(stats, name), type: 'symlink', linkname: await readlink(path) });
    } else if (stats.isFile()) {
      const inode = `${stats.dev}:${stats.ino}`;
      const first = stats.nlink > 1 ? seen.get(inode) : undefined;
      if (first !== undefined) return entry(pack, { ...common(stats, name), type: 'link', linkname: first });
      if (stats.nlink > 1) seen.set(inode, name);
      const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const size = (await file.stat()).size;
        const sink = pack.entry({ ...common(stats, name), type: 'file', size });
        await pipeline(file.createReadStream({ autoClose: false }), sink);
      } finally {
        await file.close();
      }
    } else if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) {
      const type = stats.isFIFO() ? 'fifo' : stats.isBlockDevice() ? 'block-device' : 'character-device';
      await entry(pack, { ...common(stats, name), type, devmajor: major(stats.rdev), devminor: minor(stats.rdev) });
    }
    // Sockets cannot be archived; tar leaves them out too.
  };
  addAll(add).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  // A streamx Readable: Node's pipeline and `for await` take it like a Node one.
  return pack as unknown as Readable;
}

function common(stats: Stats, name: string): EntryHeader {
  return { name, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: stats.mtime, size: 0 };
}

function entry(pack: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve())));
}
