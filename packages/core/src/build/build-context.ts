// SPDX-License-Identifier: Apache-2.0
import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { extractArchive } from '../archive/extract-archive.js';
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import { layerDecompressor, sniffCompression } from '../image/layer-decompressor.js';
import { resolveInRoot } from '../runtime/resolve-in-root.js';

/** Extracts the context tar a client sent (plain or gzip, as `docker build --compress` sends it) into `dir`. */
export async function extractBuildContext(tar: Readable, dir: string, signal?: AbortSignal): Promise<void> {
  const iterator = tar[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : (first.value as Buffer);
  const rest = (async function* () {
    if (!first.done) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  })();
  const compression = sniffCompression(head);
  const source = pipeline(rest, layerDecompressor(compression, 'build context'), () => {});
  await extractArchive(source, { resolve: (path) => resolveInRoot(dir, path), dest: '/' }, signal);
}

const GLOB = /[*?[\\]/;

/**
 * The context paths a `COPY`/`ADD` source names, relative to the context root: the path itself, or what its
 * wildcards (Go's `filepath.Match`, per path component) match, in name order. A source cannot leave the context.
 */
export async function contextSources(contextDir: string, source: string): Promise<string[]> {
  const normalized = posix.normalize(`/${source}`).slice(1).replace(/\/$/, '');
  if (!GLOB.test(normalized)) {
    if (normalized !== '' && !(await lstat(`${contextDir}/${normalized}`).then(() => true, () => false))) throw notFound(source);
    return [normalized];
  }
  let matches = [''];
  for (const part of normalized.split('/')) {
    const next: string[] = [];
    for (const base of matches) {
      if (!GLOB.test(part)) {
        if (await lstat(`${contextDir}/${base}${part}`).then(() => true, () => false)) next.push(`${base}${part}`);
        continue;
      }
      const pattern = globPattern(part);
      const names = await readdir(`${contextDir}/${base}`).catch(() => [] as string[]);
      for (const name of names.sort()) if (pattern.test(name)) next.push(`${base}${name}`);
    }
    matches = next.map((match) => `${match}/`);
  }
  if (matches.length === 0) throw notFound(source);
  return matches.map((match) => match.slice(0, -1));
}

function notFound(source: string): Error {
  return new NotFoundError(`file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`);
}

/** One path component of a Go `filepath.Match` pattern as a RegExp. */
function globPattern(part: string): RegExp {
  let source = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < part.length) source += escapeRegExp(part[++i]);
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) throw new InvalidArgumentError(`syntax error in pattern "${part}"`);
      let set = part.slice(i + 1, end);
      if (set.startsWith('^')) set = `!${set.slice(1)}`;
      source += set.startsWith('!') ? `[^${set.slice(1).replace(/\\/g, '\\\\')}]` : `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
