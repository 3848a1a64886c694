// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readFile, readlink } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import dockerignoreModule from '@balena/dockerignore';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { NotFoundError } from '../errors/engine-error.js';

export interface PackedBuildContext {
  tar: Readable;
  /** The Dockerfile's path inside the tar, for `POST /build?dockerfile=`. */
  dockerfile: string;
}

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

/**
 * A build context as the docker CLI sends it: the directory's files as a tar, less what `.dockerignore` excludes
 * (except the Dockerfile and `.dockerignore` themselves, which the daemon needs), entries owned by root. A
 * Dockerfile outside the context is added under a random name, as the docker CLI adds it.
 */
export async function packBuildContext(contextDir: string, dockerfile = 'Dockerfile'): Promise<PackedBuildContext> {
  const root = resolve(contextDir);
  if (!(await lstat(root).then((s) => s.isDirectory(), () => false))) throw new NotFoundError(`unable to prepare context: path "${contextDir}" not found`);
  const dockerfileHost = isAbsolute(dockerfile) ? dockerfile : resolve(root, dockerfile);
  await lstat(dockerfileHost).catch((cause: unknown) => {
    throw new NotFoundError(`unable to prepare context: the Dockerfile (${dockerfile}) cannot be found`, { cause });
  });
  const inside = relative(root, dockerfileHost);
  const outside = inside.startsWith('..') || isAbsolute(inside);
  const dockerfileName = outside ? `.dockerfile.${randomBytes(10).toString('hex')}` : inside;
  const patterns = (await readFile(`${root}/.dockerignore`, 'utf8').catch(() => ''))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  // A CommonJS module whose typings declare an ES default; it sets `default` on itself for this import.
  const ignore = dockerignoreModule.default().add(patterns);
  const kept = (path: string) => path === dockerfileName || path === '.dockerignore' || !ignore.ignores(path);

  const pack = tarPack();
  const write = async (): Promise<void> => {
    const visit = async (dir: string): Promise<void> => {
      for (const name of (await readdir(dir === '' ? root : `${root}/${dir}`)).sort()) {
        const path = dir === '' ? name : `${dir}/${name}`;
        const stats = await lstat(`${root}/${path}`);
        // An excluded directory is still walked: a `!` pattern may bring back something below it.
        if (stats.isDirectory()) {
          if (kept(path)) await entry(pack, { ...common(stats, `${path}/`), type: 'directory' });
          await visit(path);
        } else if (kept(path)) {
          await addEntry(pack, `${root}/${path}`, path, stats);
        }
      }
    };
    await visit('');
    if (outside) await addEntry(pack, dockerfileHost, dockerfileName, await lstat(dockerfileHost));
  };
  write().then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  return { tar: pack as unknown as Readable, dockerfile: dockerfileName };
}

async function addEntry(pack: Pack, host: string, name: string, stats: Stats): Promise<void> {
  if (stats.isSymbolicLink()) return entry(pack, { ...common(stats, name), type: 'symlink', linkname: await readlink(host) });
  // Devices, fifos and sockets are not sent, as the docker CLI skips what it cannot read.
  if (!stats.isFile()) return;
  const file = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const size = (await file.stat()).size;
    if (size === 0) return await entry(pack, { ...common(stats, name), type: 'file', size });
    await pipeline(file.createReadStream({ autoClose: false, start: 0, end: size - 1 }), pack.entry({ ...common(stats, name), type: 'file', size }));
  } finally {
    await file.close();
  }
}

function common(stats: Stats, name: string): EntryHeader {
  return { name, mode: stats.mode & 0o7777, uid: 0, gid: 0, mtime: stats.mtime, size: 0 };
}

/** Data for entries that have none: without it, tar-stream waits for a size-0 file's data forever. */
const EMPTY = Buffer.alloc(0);

function entry(pack: Pack, header: EntryHeader): Promise<void> {
  return new Promise((done, reject) => pack.entry(header, EMPTY, (error) => (error ? reject(error) : done())));
}
