// SPDX-License-Identifier: Apache-2.0
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { addPathEntry, tarStream } from './add-path-entry.js';

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
  return tarStream(async (pack) => {
    const links = new Map<string, string>();
    const add = async (path: string, name: string): Promise<void> => {
      const stats = await lstat(path);
      await addPathEntry(pack, path, name, stats, links);
      if (!stats.isDirectory()) return;
      for (const child of (await readdir(path)).sort()) await add(join(path, child), `${name}/${child}`);
    };
    await addAll(add);
  });
}
