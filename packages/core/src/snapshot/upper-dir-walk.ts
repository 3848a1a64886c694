// SPDX-License-Identifier: Apache-2.0
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { InternalError } from '../errors/engine-error.js';
import { ProcessFailedError, runProcess } from '../shared/process-runner.js';
import { pythonPath } from './special-file-batch.js';

/** One entry of a container's writable layer, as overlayfs left it. */
export interface UpperEntry {
  /** Relative to the upper dir, `/`-separated, no leading slash. */
  path: string;
  stats: Stats;
  /**
   * `whiteout`: the path was deleted (a 0/0 character device); `opaque`: a directory that hides everything below
   * it in the lower layers (`trusted.overlay.opaque=y`: it was removed and made again); `entry`: anything else.
   */
  kind: 'whiteout' | 'opaque' | 'entry';
}

/**
 * The entries of an overlayfs upper dir, parents before children and siblings in name order (Go's
 * `filepath.Walk` order, which Docker's `diff` keeps). Nothing is followed. Opaque markers are extended
 * attributes, which Node cannot read: one python3 process (already needed to unpack layers) lists them all.
 */
export async function walkUpperDir(upper: string): Promise<UpperEntry[]> {
  const [opaque, entries] = await Promise.all([opaqueDirs(upper), walk(upper)]);
  for (const entry of entries) {
    if (isWhiteout(entry.stats)) entry.kind = 'whiteout';
    else if (entry.stats.isDirectory() && opaque.has(entry.path)) entry.kind = 'opaque';
  }
  return entries;
}

/** Whether `stats` is an overlayfs whiteout: a character device numbered 0/0. */
export function isWhiteout(stats: Stats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0;
}

/**
 * Mount points the engine makes in a root filesystem that lacks them, before the container runs. Like Docker's
 * init layer, they are no change of the container's: left out while they are the empty stubs the engine made.
 */
const MOUNT_POINTS = new Set(['dev', 'proc', 'sys', 'etc/hostname', 'etc/hosts', 'etc/resolv.conf']);

async function walk(root: string): Promise<UpperEntry[]> {
  const entries: UpperEntry[] = [];
  const visit = async (relative: string): Promise<void> => {
    const names = (await readdir(relative === '' ? root : `${root}/${relative}`)).sort();
    const stats = await Promise.all(names.map((name) => lstat(`${root}/${relative === '' ? '' : `${relative}/`}${name}`)));
    for (const [i, name] of names.entries()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (MOUNT_POINTS.has(path) && (await isEmptyStub(`${root}/${path}`, stats[i]))) continue;
      entries.push({ path, stats: stats[i], kind: 'entry' });
      if (stats[i].isDirectory()) await visit(path);
    }
  };
  await visit('');
  return entries;
}

async function isEmptyStub(path: string, stats: Stats): Promise<boolean> {
  if (stats.isFile()) return stats.size === 0;
  return stats.isDirectory() && (await readdir(path)).length === 0;
}

/** Lists, NUL-separated and relative to the root, the directories marked opaque. */
const OPAQUE_SCRIPT = `
import os, sys
root = os.fsencode(sys.argv[1])
out = sys.stdout.buffer
for parent, dirs, _ in os.walk(root):
    for name in dirs:
        path = os.path.join(parent, name)
        try:
            value = os.getxattr(path, 'trusted.overlay.opaque', follow_symlinks=False)
        except OSError:
            continue
        if value == b'y':
            out.write(os.path.relpath(path, root) + b'\\0')
`;

async function opaqueDirs(upper: string): Promise<Set<string>> {
  let stdout: string;
  try {
    ({ stdout } = await runProcess(await pythonPath(), ['-I', '-S', '-c', OPAQUE_SCRIPT, upper]));
  } catch (error) {
    if (!(error instanceof ProcessFailedError)) throw error;
    throw new InternalError(`list opaque directories of ${upper}: ${error.stderr.trim()}`, { cause: error });
  }
  return new Set(stdout.split('\0').filter(Boolean));
}
