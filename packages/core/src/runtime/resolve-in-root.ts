// SPDX-License-Identifier: Apache-2.0
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/**
 * The host path of `path` as seen from inside a root filesystem: symlinks are followed the way the container
 * would follow them, with absolute targets and `..` confined to `root` (cyphar/filepath-securejoin's rule), so an
 * image cannot make the engine read host files. Components that do not exist are kept as they are.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
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
    const candidate = join(root, ...resolved, part);
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
  return join(root, ...resolved);
}
