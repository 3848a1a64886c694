// SPDX-License-Identifier: Apache-2.0
import { constants, type Stats } from 'node:fs';
import { open, readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { major, minor } from '../archive/device-number.js';
import { walkUpperDir } from './upper-dir-walk.js';

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_WHITEOUT = '.wh..wh..opq';

/**
 * A container's writable layer as an OCI layer tar (moby's overlay2 `Diff`): overlayfs whiteouts become `.wh.<name>`
 * entries and opaque directories get a `.wh..wh..opq` entry, the form `LayerEntryWriter` turns back into overlayfs
 * whiteouts. Files hard-linked together go in once, then as links. Extended attributes are left out.
 */
export function upperDirTar(upper: string): Readable {
  const pack = tarPack();
  const write = async (): Promise<void> => {
    const seen = new Map<string, string>();
    for (const { path, stats, kind } of await walkUpperDir(upper)) {
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '' : path.slice(0, slash + 1);
      if (kind === 'whiteout') {
        await entry(pack, { ...common(stats, `${dir}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`), mode: 0, type: 'file' });
      } else if (stats.isDirectory()) {
        await entry(pack, { ...common(stats, `${path}/`), type: 'directory' });
        if (kind === 'opaque') await entry(pack, { ...common(stats, `${path}/${OPAQUE_WHITEOUT}`), mode: 0, type: 'file' });
      } else if (stats.isSymbolicLink()) {
        await entry(pack, { ...common(stats, path), type: 'symlink', linkname: await readlink(`${upper}/${path}`) });
      } else if (stats.isFile()) {
        const inode = `${stats.dev}:${stats.ino}`;
        const first = stats.nlink > 1 ? seen.get(inode) : undefined;
        if (first !== undefined) {
          await entry(pack, { ...common(stats, path), type: 'link', linkname: first });
          continue;
        }
        if (stats.nlink > 1) seen.set(inode, path);
        await addFile(pack, `${upper}/${path}`, common(stats, path));
      } else if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) {
        const type = stats.isFIFO() ? 'fifo' : stats.isBlockDevice() ? 'block-device' : 'character-device';
        await entry(pack, { ...common(stats, path), type, devmajor: major(stats.rdev), devminor: minor(stats.rdev) });
      }
      // Sockets cannot be archived; Docker leaves them out too.
    }
  };
  write().then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  return pack as unknown as Readable;
}

async function addFile(pack: Pack, hostPath: string, header: EntryHeader): Promise<void> {
  const file = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // The size read now, not the walk's: the header must match what is streamed.
    const size = (await file.stat()).size;
    if (size === 0) return await entry(pack, { ...header, type: 'file', size });
    await pipeline(file.createReadStream({ autoClose: false, start: 0, end: size - 1 }), pack.entry({ ...header, type: 'file', size }));
  } finally {
    await file.close();
  }
}

function common(stats: Stats, name: string): EntryHeader {
  return { name, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, mtime: stats.mtime, size: 0 };
}

/** Data for entries that have none: without it, tar-stream waits for a size-0 file's data forever. */
const EMPTY = Buffer.alloc(0);

function entry(pack: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, EMPTY, (error) => (error ? reject(error) : resolve())));
}
