// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** A cell's current content and version, as read. */
export interface CellVersion<T> {
  version: number;
  content: T;
}

const VERSION_DIGITS = 12;
/** Room left in a 255-byte file name for the encoded name. */
const MAX_ENCODED_NAME = 240;

/**
 * Named cells of JSON, each a directory of immutable files named by version, shared between processes through the
 * file system alone. A write is one `link()` of a fully written temporary file to `<version + 1>`, which fails if
 * that name exists — so compare-and-set needs no lock file that a crashed process could leave behind, and a
 * reader never sees a half-written value. The highest version present is the current one; older ones are removed
 * after each write.
 */
export class VersionedCellDirectory {
  /** `tmpDir` must be on the same file system as `dir`, for `link()`. */
  constructor(private readonly dir: string, private readonly tmpDir: string) {}

  /** Cell names present (including cells whose content marks them deleted), decoded. */
  async names(): Promise<string[]> {
    const entries = await readdir(this.dir).catch(ignoreMissing([]));
    return entries.map(decodeName);
  }

  async read<T>(name: string): Promise<CellVersion<T> | undefined> {
    const cell = this.cellPath(name);
    for (;;) {
      const version = await this.latestVersion(cell);
      if (version === 0) return undefined;
      try {
        return { version, content: JSON.parse(await readFile(join(cell, versionFile(version)), 'utf8')) as T };
      } catch (error) {
        // A newer write removed it between listing and reading: list again.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }

  /** Writes version `expected + 1`; false if the cell is no longer at `expected` (0: absent). */
  async write(name: string, expected: number, content: unknown): Promise<number | false> {
    const cell = this.cellPath(name);
    const next = expected + 1;
    const tmp = join(this.tmpDir, randomUUID());
    await mkdir(this.tmpDir, { recursive: true });
    await writeFile(tmp, JSON.stringify(content));
    try {
      await mkdir(cell, { recursive: true });
      await link(tmp, join(cell, versionFile(next)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    const versions = await this.versions(cell);
    // Our name was free, but a newer version may exist if `expected + 1` had been written and removed as old:
    // then ours was never the latest, so nobody has read it, and taking it back is a clean failure.
    if (versions.some((v) => v > next)) {
      await unlink(join(cell, versionFile(next))).catch(() => undefined);
      return false;
    }
    await Promise.all(versions.filter((v) => v < next).map((v) => unlink(join(cell, versionFile(v))).catch(() => undefined)));
    return next;
  }

  private cellPath(name: string): string {
    const encoded = encodeName(name);
    if (encoded.length > MAX_ENCODED_NAME) throw new InvalidArgumentError(`state key "${name.slice(0, 60)}…": too long`);
    return join(this.dir, encoded);
  }

  private async latestVersion(cell: string): Promise<number> {
    return Math.max(0, ...(await this.versions(cell)));
  }

  private async versions(cell: string): Promise<number[]> {
    const files = await readdir(cell).catch(ignoreMissing([]));
    return files.filter((f) => /^\d+$/.test(f)).map(Number);
  }
}

function versionFile(version: number): string {
  return String(version).padStart(VERSION_DIGITS, '0');
}

/** Any string as one file name: `/` and `.` are escaped too, so no name is `.`, `..` or a path. */
function encodeName(name: string): string {
  if (name === '') throw new InvalidArgumentError('state key: must not be empty');
  return encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}

function decodeName(file: string): string {
  return decodeURIComponent(file);
}

function ignoreMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };
}
