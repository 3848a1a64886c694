// SPDX-License-Identifier: Apache-2.0
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/** A directory mounted into the tree at `destination` (absolute in the tree), found on the host at `source`. */
export interface RootMount {
  destination: string;
  source: string;
}

/**
 * The host path of `path` as seen from inside a root filesystem: symlinks are followed the way the container
 * would follow them, with absolute targets and `..` confined to `root` (cyphar/filepath-securejoin's rule), so an
 * image cannot make the engine read host files. Components that do not exist are kept as they are. `mounts` are
 * directories mounted into the tree (a stopped container's binds and volumes): a path under one lives in its
 * source, and symlinks in it still resolve against the whole tree.
 */
export async function resolveInRoot(root: string, path: string, mounts: RootMount[] = []): Promise<string> {
  const byDepth = [...mounts].sort((a, b) => b.destination.length - a.destination.length);
  const hostOf = (parts: string[]): string => {
    const inTree = `/${parts.join('/')}`;
    const mount = byDepth.find((m) => inTree === m.destination || inTree.startsWith(`${m.destination}/`));
    return mount ? join(mount.source, inTree.slice(mount.destination.length)) : join(root, ...parts);
  };
  const pending = path.split('/').filter(Boolean);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = hostOf([...resolved, part]);
    const info = await lstat(candidate).catch(() => undefined);
    if (!info?.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`resolve ${path} in ${root}: too many levels of symbolic links`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return hostOf(resolved);
}
