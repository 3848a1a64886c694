// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { InternalError } from '../errors/engine-error.js';

const run = promisify(execFile);

/**
 * Fills an empty volume from the image's directory at its mount point, keeping owners, modes, timestamps, links
 * and xattrs, and giving the volume's root the directory's owner and mode — what Docker does on a new volume
 * (moby `container.CopyImagePathContent`). A volume that already holds anything, or a source that is not a
 * directory, is left alone. Returns whether it copied.
 */
export async function copyImageContent(source: string, volumeData: string): Promise<boolean> {
  const info = await lstat(source).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  if ((await readdir(volumeData)).length > 0) return false;
  try {
    // `cp -a dir/. target` copies the directory's own attributes onto the existing target as well as its contents.
    await run('cp', ['-a', '--', `${source}/.`, volumeData]);
  } catch (error) {
    throw new InternalError(`copy image content of ${source} to volume ${volumeData}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`, { cause: error });
  }
  return true;
}
