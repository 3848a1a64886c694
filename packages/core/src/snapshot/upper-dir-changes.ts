// SPDX-License-Identifier: Apache-2.0
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { ChangeKind, type FilesystemChange } from '../api/image-build.js';
import { isWhiteout, walkUpperDir } from './upper-dir-walk.js';

/**
 * `docker diff` from a container's writable layer (moby's `archive.OverlayChanges`): a whiteout is a deletion
 * (D), an entry the lower layers have is a modification (C), any other an addition (A); and every directory on
 * the way to a change is reported modified, as Docker does. An opaque directory (removed, then made again) that
 * the lower layers have is C, its new entries A; what it hides below is not listed.
 *
 * `lowerDirs` are the image's unpacked layers, TOP first. They are searched as overlayfs would, one component at a
 * time with lstat, so a lower whiteout hides what is below it and no symlink of a layer is ever followed.
 */
export async function upperDirChanges(upper: string, lowerDirs: string[]): Promise<FilesystemChange[]> {
  const changes: FilesystemChange[] = [];
  const reported = new Set<string>();
  for (const entry of await walkUpperDir(upper)) {
    const path = `/${entry.path}`;
    const below = await lowerEntry(lowerDirs, entry.path.split('/'));
    let kind: ChangeKind;
    if (entry.kind === 'whiteout') kind = ChangeKind.Deleted;
    else if (below === undefined) kind = ChangeKind.Added;
    else if (entry.stats.isDirectory() && below.isDirectory() && entry.kind !== 'opaque' && sameDirectory(entry.stats, below)) {
      // Copied up only because something under it changed: reported (as C) with that change.
      continue;
    } else kind = ChangeKind.Modified;
    addParents(changes, reported, path);
    if (!reported.has(path)) changes.push({ Path: path, Kind: kind });
    reported.add(path);
  }
  return changes;
}

/** Reports the directories above `path` not yet reported, outermost first, as modified. */
function addParents(changes: FilesystemChange[], reported: Set<string>, path: string): void {
  const parents: string[] = [];
  for (let parent = parentOf(path); parent !== '/' && !reported.has(parent); parent = parentOf(parent)) parents.unshift(parent);
  for (const parent of parents) {
    changes.push({ Path: parent, Kind: ChangeKind.Modified });
    reported.add(parent);
  }
}

/** What the lower layers show at `parts`, or undefined when nothing (or a whiteout) is there. */
async function lowerEntry(lowerDirs: string[], parts: string[]): Promise<Stats | undefined> {
  for (const layer of lowerDirs) {
    let current = layer;
    for (const [i, part] of parts.entries()) {
      current = `${current}/${part}`;
      const stats = await lstat(current).catch(() => undefined);
      if (stats === undefined) break;
      if (isWhiteout(stats)) return undefined;
      if (i === parts.length - 1) return stats;
      // A file or symlink of this layer where the path needs a directory hides every layer below.
      if (!stats.isDirectory()) return undefined;
    }
  }
  return undefined;
}

/** Times are not compared: making an entry in a directory changes them, and that entry is reported itself. */
function sameDirectory(a: Stats, b: Stats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
