// SPDX-License-Identifier: Apache-2.0
import { constants } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, open, rm, stat, symlink, utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract, type Header } from 'tar-stream';
import { ConflictError, InvalidArgumentError } from '../errors/engine-error.js';
import { SpecialFileBatch } from '../snapshot/special-file-batch.js';

/**
 * Where an archive goes: a tree seen through `resolve`, which maps an absolute path of that tree (a container
 * path) to a host path with every symlink followed *inside* the tree ({@link resolveInRoot}), never out of it.
 */
export interface ExtractTarget {
  resolve(path: string): Promise<string>;
  /** Absolute path, in the tree, of the existing directory the archive is extracted into. */
  dest: string;
  /** Refuse to replace a directory with a non-directory or the reverse (docker cp's default). */
  noOverwriteDirNonDir?: boolean;
  /** Renames entries (and hardlink targets) before extraction: `cp` giving a copy another name than its source's. */
  rename?: (name: string) => string;
  /** Owner of every entry instead of the archive's (`copyUIDGID`: the container's user). */
  owner?: { uid: number; gid: number };
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Extracts a tar into a live tree (a container's root filesystem, a local directory), the way moby's
 * `archive.Unpack` does inside its chroot, but confined without one: every entry's parent is resolved through
 * the target's resolver, so `..`, absolute names and symlinks (the archive's own or the tree's) all stay inside
 * the tree; the last component is never followed (existing entries are removed, new files opened with
 * O_EXCL|O_NOFOLLOW), and hardlinks must name a path inside the destination. Entries whose name leaves the
 * destination through `..` are refused, as moby refuses them (`breakoutError`).
 */
export async function extractArchive(tar: Readable, target: ExtractTarget, signal?: AbortSignal): Promise<void> {
  const extract = tarExtract();
  const piped = pipeline(tar, extract, { signal });
  piped.catch(() => undefined);
  const special = new SpecialFileBatch();
  const dirTimes: Array<[string, Date]> = [];
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const rename = target.rename ?? ((name: string) => name);
      const path = inDestination(target.dest, rename(header.name));
      if (path === target.dest) {
        entry.resume();
        continue;
      }
      const parent = await ensureDir(target, posix.dirname(path));
      const host = posix.join(parent, posix.basename(path));
      const existing = await lstat(host).catch(() => undefined);
      const isDir = header.type === 'directory';
      if (existing && target.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
        throw new ConflictError(
          existing.isDirectory()
            ? `cannot overwrite directory "${path}" with non-directory "${header.name}"`
            : `cannot overwrite non-directory "${path}" with directory "${header.name}"`,
        );
      }
      if (existing && !(existing.isDirectory() && isDir)) await rm(host, { recursive: true, force: true });
      const owner = target.owner ?? { uid: header.uid ?? 0, gid: header.gid ?? 0 };
      switch (header.type) {
        case 'directory':
          if (!existing?.isDirectory()) await mkdir(host);
          await applyMetadata(host, header, owner);
          dirTimes.push([host, header.mtime ?? new Date()]);
          break;
        case 'file':
        case 'contiguous-file': {
          const file = await open(host, CREATE_FLAGS, (header.mode ?? 0o644) & 0o777);
          try {
            // Read as an async iterable: Node's pipeline() on a tar-stream (streamx) entry stalls the next entry.
            for await (const chunk of entry as AsyncIterable<Buffer>) await file.write(chunk);
          } finally {
            await file.close();
          }
          await applyMetadata(host, header, owner);
          break;
        }
        case 'symlink':
          await symlink(header.linkname ?? '', host);
          await lchown(host, owner.uid, owner.gid);
          await lutimes(host, header.mtime ?? new Date(), header.mtime ?? new Date());
          break;
        case 'link': {
          const linkTarget = inDestination(target.dest, rename(header.linkname ?? ''));
          const source = posix.join(await target.resolve(posix.dirname(linkTarget)), posix.basename(linkTarget));
          // link(2) does not follow a symlink source: a link to a symlink is a second symlink, still confined.
          await link(source, host);
          break;
        }
        case 'character-device':
        case 'block-device':
        case 'fifo':
          special.addNode(host, {
            mode: (header.type === 'fifo' ? 0o010000 : header.type === 'block-device' ? 0o060000 : 0o020000) | ((header.mode ?? 0) & 0o7777),
            major: header.devmajor ?? 0,
            minor: header.devminor ?? 0,
            uid: owner.uid,
            gid: owner.gid,
            mtime: header.mtime ?? new Date(),
          });
          break;
        default:
          break;
      }
      entry.resume();
    }
    await piped;
  } catch (error) {
    extract.destroy();
    await piped.catch(() => undefined);
    throw error;
  }
  await special.apply();
  // Last: creating entries in a directory changes its mtime.
  for (const [path, mtime] of dirTimes.reverse()) await utimes(path, mtime, mtime);
}

/** The absolute path an entry name designates under `dest`, refusing names that climb out of it. */
function inDestination(dest: string, name: string): string {
  const path = posix.join(dest, name);
  const prefix = dest === '/' ? '/' : `${dest}/`;
  if (path !== dest && !path.startsWith(prefix)) {
    throw new InvalidArgumentError(`archive entry "${name}" is outside of "${dest}"`, {
      hint: 'the archive is malformed or hostile: entries may not climb out of the destination with ..',
    });
  }
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

/** The host path of directory `path`, made (0755, as moby does) with its missing parents when absent. */
async function ensureDir(target: ExtractTarget, path: string): Promise<string> {
  const host = await target.resolve(path);
  // The tree's root may be reached through a symlink (`/proc/<pid>/root`); no other directory may.
  const stats = await (path === '/' ? stat(host) : lstat(host)).catch(() => undefined);
  if (stats?.isDirectory()) return host;
  if (stats) throw new InvalidArgumentError(`extract into ${path}: not a directory`);
  await ensureDir(target, posix.dirname(path));
  // Resolved again: the parent may have been reached through a symlink that now exists as a directory.
  const made = await target.resolve(path);
  await mkdir(made, 0o755);
  return made;
}

async function applyMetadata(path: string, header: Header, owner: { uid: number; gid: number }): Promise<void> {
  await lchown(path, owner.uid, owner.gid);
  // After chown, which clears setuid and setgid.
  await chmod(path, (header.mode ?? 0o644) & 0o7777);
  await utimes(path, header.mtime ?? new Date(), header.mtime ?? new Date());
}
