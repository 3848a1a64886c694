// SPDX-License-Identifier: Apache-2.0
import { constants, type Stats } from 'node:fs';
import { open, readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { major, minor } from './device-number.js';

export type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

/**
 * A tar stream that `fill` writes entries into; it ends when `fill` resolves and fails with its error.
 * A streamx Readable: Node's pipeline and `for await` take it like a Node one.
 */
export function tarStream(fill: (pack: Pack) => Promise<void>): Readable {
  const pack = tarPack();
  fill(pack).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  return pack as unknown as Readable;
}

/**
 * Adds the entry of one file system object, `path` on the host (`stats`: its lstat), named `name` in the archive.
 * Nothing is followed: a symlink goes in as a symlink, a file is opened with O_NOFOLLOW. A directory gets its own
 * entry only (`name/`); its contents are the caller's to add. A file met again through another hardlink (by its
 * inode in `links`, which the caller keeps for the whole archive) goes in as a link to the first name. Sockets
 * cannot be archived and are left out, as tar and Docker leave them out.
 */
export async function addPathEntry(pack: Pack, path: string, name: string, stats: Stats, links: Map<string, string>): Promise<void> {
  if (stats.isDirectory()) {
    await addEmptyEntry(pack, { ...pathHeader(stats, `${name}/`), type: 'directory' });
  } else if (stats.isSymbolicLink()) {
    await addEmptyEntry(pack, { ...pathHeader(stats, name), type: 'symlink', linkname: await readlink(path) });
  } else if (stats.isFile()) {
    const inode = `${stats.dev}:${stats.ino}`;
    const first = stats.nlink > 1 ? links.get(inode) : undefined;
    if (first !== undefined) return addEmptyEntry(pack, { ...pathHeader(stats, name), type: 'link', linkname: first });
    if (stats.nlink > 1) links.set(inode, name);
    await addFile(pack, path, pathHeader(stats, name));
  } else if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) {
    const type = stats.isFIFO() ? 'fifo' : stats.isBlockDevice() ? 'block-device' : 'character-device';
    await addEmptyEntry(pack, { ...pathHeader(stats, name), type, devmajor: major(stats.rdev), devminor: minor(stats.rdev) });
  }
}

/** The header fields every entry takes from the object's stats. */
export function pathHeader(stats: Stats, name: string): EntryHeader {
  return { name, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: stats.mtime, size: 0 };
}

/** Data for entries that have none: without it, tar-stream waits for a size-0 file's data forever. */
const EMPTY = Buffer.alloc(0);

/** Adds an entry without data: a directory, a link, a device, an empty file. */
export function addEmptyEntry(pack: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, EMPTY, (error) => (error ? reject(error) : resolve())));
}

async function addFile(pack: Pack, path: string, header: EntryHeader): Promise<void> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // The size read now, not the caller's: the header must match what is streamed, and a file still growing is
    // cut at it rather than overflowing its entry.
    const size = (await file.stat()).size;
    if (size === 0) return await addEmptyEntry(pack, { ...header, type: 'file', size });
    await pipeline(file.createReadStream({ autoClose: false, start: 0, end: size - 1 }), pack.entry({ ...header, type: 'file', size }));
  } finally {
    await file.close();
  }
}
