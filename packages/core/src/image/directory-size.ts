// SPDX-License-Identifier: Apache-2.0
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of the files under `dir`, each hard-linked inode counted once: how Docker sizes an unpacked layer (moby
 * `pkg/directory.Size`), and so the image size `docker images` shows.
 */
export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) {
        await walk(child);
        continue;
      }
      const stats = await lstat(child);
      const inode = `${stats.dev}:${stats.ino}`;
      if (stats.nlink > 1 && seen.has(inode)) continue;
      seen.add(inode);
      total += stats.size;
    }
  };
  await walk(dir);
  return total;
}
