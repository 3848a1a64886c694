// SPDX-License-Identifier: Apache-2.0
import { createReadStream, type Stats } from 'node:fs';
import { lchown, lstat, mkdir, open, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream';
import { extractArchive } from '../archive/extract-archive.js';
import { packPath } from '../archive/pack-path.js';
import { isTarHeader, TAR_BLOCK } from '../archive/tar-header.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { layerDecompressor, sniffCompression } from '../image/layer-decompressor.js';
import { resolveInRoot } from '../runtime/resolve-in-root.js';

export interface CopyIntoRootfs {
  contextDir: string;
  /** Host path of the mounted root filesystem. */
  rootfs: string;
  /** Context-relative paths (`''` is the context itself). */
  sources: string[];
  /** Absolute in the container. */
  dest: string;
  /** The destination is a directory: it ended with `/`, or there are several sources. */
  destIsDir: boolean;
  /** Owner of what is copied; an extracted archive keeps its own unless given. */
  owner?: { uid: number; gid: number };
  /** `ADD`: a local tar (plain or gzip) is extracted into the destination instead of copied. */
  extractArchives: boolean;
}

const ROOT = { uid: 0, gid: 0 };

/**
 * `COPY`/`ADD` of context files into a container's root filesystem, as Docker's classic builder copies them: a
 * directory's contents (not the directory) go into the destination, a file goes into it when it is a directory
 * (or names one with a trailing `/`) and becomes it otherwise; files are owned by root unless `--chown` says.
 * Everything goes through tar and {@link extractArchive}, so the image's symlinks can never lead a write outside
 * the root filesystem.
 */
export async function copyIntoRootfs(request: CopyIntoRootfs): Promise<void> {
  const { rootfs, dest } = request;
  const resolve = (path: string) => resolveInRoot(rootfs, path);
  for (const source of request.sources) {
    const host = source === '' ? request.contextDir : `${request.contextDir}/${source}`;
    const stats = await lstat(host);
    if (stats.isDirectory()) {
      await ensureDir(rootfs, dest);
      for (const name of (await readdir(host)).sort()) {
        await extractArchive(packPath(`${host}/${name}`, name), { resolve, dest, owner: request.owner ?? ROOT });
      }
      continue;
    }
    const compression = request.extractArchives && stats.isFile() ? await tarCompression(host, stats) : undefined;
    if (compression) {
      await ensureDir(rootfs, dest);
      const tar = pipeline(createReadStream(host), layerDecompressor(compression, `ADD ${source}`), () => {});
      await extractArchive(tar, { resolve, dest, owner: request.owner });
    } else {
      const intoDir = request.destIsDir || (await isDirectory(await resolve(dest)));
      const dir = intoDir ? dest : posix.dirname(dest);
      const name = intoDir ? posix.basename(source) : posix.basename(dest);
      await ensureDir(rootfs, dir);
      await extractArchive(packPath(host, name), { resolve, dest: dir, owner: request.owner ?? ROOT });
    }
  }
}

/** Makes `path` (absolute in the root filesystem) and its missing parents, root-owned, as Docker does. */
export async function ensureDir(rootfs: string, path: string): Promise<void> {
  let current = '';
  for (const part of path.split('/').filter(Boolean)) {
    current = `${current}/${part}`;
    const host = await resolveInRoot(rootfs, current);
    const stats = await lstat(host).catch(() => undefined);
    if (stats === undefined) {
      await mkdir(host, { mode: 0o755 });
      await lchown(host, 0, 0);
    } else if (!stats.isDirectory()) {
      throw new InvalidArgumentError(`cannot copy to ${path}: ${current} is not a directory`);
    }
  }
}

async function isDirectory(host: string): Promise<boolean> {
  return lstat(host).then((stats) => stats.isDirectory(), () => false);
}

/** How a file is compressed when it is a tar archive (plain or gzip), else undefined: it is then copied as is. */
async function tarCompression(path: string, stats: Stats): Promise<'none' | 'gzip' | undefined> {
  if (stats.size < 2) return undefined;
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(TAR_BLOCK);
    head = head.subarray(0, (await handle.read(head, 0, TAR_BLOCK, 0)).bytesRead);
  } finally {
    await handle.close();
  }
  const compression = sniffCompression(head);
  if (compression === 'gzip') return 'gzip';
  return compression === 'none' && isTarHeader(head) ? 'none' : undefined;
}
