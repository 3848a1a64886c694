// SPDX-License-Identifier: Apache-2.0
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { InvalidArgumentError } from '../errors/engine-error.js';

// Symbolic links to symbolic links are followed this far (skopeo links legacy `<id>/layer.tar` to the blob).
const MAX_LINK_HOPS = 8;

/**
 * An image archive written out to a private directory, as Docker's load does first, since `manifest.json` may come
 * after the layers it describes. Entries are not recreated as paths: each regular file becomes a numbered file in
 * `dir`, and links only alias names, so no entry of a hostile archive can write or read outside `dir`.
 */
export class SpooledArchive {
  private constructor(
    private readonly files: Map<string, string>,
    private readonly links: Map<string, string>,
  ) {}

  static async spool(archive: Readable, dir: string, signal?: AbortSignal): Promise<SpooledArchive> {
    const files = new Map<string, string>();
    const links = new Map<string, string>();
    const extract = tar.extract();
    let spooled = 0;
    const reading = (async () => {
      for await (const entry of extract) {
        signal?.throwIfAborted();
        const name = archivePath(entry.header.name);
        const { type, linkname } = entry.header;
        if (type === 'file' || type === 'contiguous-file') {
          const path = join(dir, String(spooled++));
          await pipeline(entry, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
          files.set(name, path);
          continue;
        }
        if (type === 'symlink' && linkname) {
          links.set(name, archivePath(linkname.startsWith('/') ? linkname : posix.join(posix.dirname(name), linkname)));
        }
        else if (type === 'link' && linkname) links.set(name, archivePath(linkname));
        entry.resume();
      }
    })();
    await Promise.all([pipeline(archive, extract, { signal }), reading]);
    return new SpooledArchive(files, links);
  }

  /** The spooled file of an archive path (following links), or undefined. */
  file(name: string): string | undefined {
    let current = archivePath(name);
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const file = this.files.get(current);
      if (file) return file;
      const target = this.links.get(current);
      if (target === undefined) return undefined;
      current = target;
    }
    return undefined;
  }

  /** The spooled file of `name`; fails naming the archive path when it is missing. */
  require(name: string): string {
    const file = this.file(name);
    if (!file) throw new InvalidArgumentError(`image archive: ${name} is missing`);
    return file;
  }

  /** Reads a small file of the archive (a manifest, a config), refusing one larger than `limit`. */
  async read(name: string, limit = 8 << 20): Promise<Buffer> {
    const file = this.require(name);
    if ((await stat(file)).size > limit) throw new InvalidArgumentError(`image archive: ${name} is larger than ${limit} bytes`);
    return readFile(file);
  }

  async readJson<T>(name: string): Promise<T> {
    const bytes = await this.read(name);
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch (cause) {
      throw new InvalidArgumentError(`image archive: ${name} is not valid JSON`, { cause });
    }
  }
}

/** An entry name as the key it is looked up by: `./a/../b/` → `a/b`; `..` cannot climb above the archive's root. */
function archivePath(name: string): string {
  return posix.normalize(`/${name}`).slice(1).replace(/\/$/, '');
}
