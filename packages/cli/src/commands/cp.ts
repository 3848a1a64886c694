// SPDX-License-Identifier: Apache-2.0
import { lstat } from 'node:fs/promises';
import { basename, dirname, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { extractArchive, isGoModeDir, isGoModeSymlink, packPath, resolveInRoot } from '@tsc-engine/core/archive';
import { InvalidArgumentError, NotFoundError, type EngineClient } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

/** `container:path`, or undefined for a local path (which may hold a colon after a slash, as docker allows). */
function containerPath(arg: string): { container: string; path: string } | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return undefined;
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export default class Cp extends EngineCommand {
  static override summary = 'Copy files and directories between a container and the local file system';
  static override description =
    'One side is CONTAINER:PATH. A local "-" is a tar stream: read from stdin, or written to stdout.';
  static override args = {
    source: Args.string({ required: true, description: 'CONTAINER:SRC_PATH, a local path, or - (tar on stdin)' }),
    destination: Args.string({ required: true, description: 'CONTAINER:DEST_PATH, a local path, or - (tar on stdout)' }),
  };
  static override flags = {
    archive: Flags.boolean({ char: 'a', description: "archive mode: give copied files the container user's uid and gid" }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Cp);
    const from = containerPath(args.source);
    const to = containerPath(args.destination);
    if ((from === undefined) === (to === undefined)) {
      throw new InvalidArgumentError('copying between containers, or between local paths, is not supported', {
        hint: 'one of the two must be CONTAINER:PATH',
      });
    }
    const client = await this.connect(flags);
    if (from) await copyFromContainer(client, from.container, from.path, args.destination);
    else await copyToContainer(client, args.source, to!.container, to!.path, flags.archive);
  }
}

async function copyFromContainer(client: EngineClient, container: string, path: string, destination: string): Promise<void> {
  const { stat, tar } = await client.getContainerArchive(container, path);
  if (destination === '-') {
    await pipeline(tar, process.stdout);
    return;
  }
  const target = resolve(destination);
  const existing = await lstat(target).catch(() => undefined);
  const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (existing?.isDirectory()) {
    await extractArchive(tar, { resolve: (p) => resolveInRoot(target, p), dest: '/', owner });
    return;
  }
  if (existing && isGoModeDir(stat.mode)) throw new InvalidArgumentError(`cannot copy a directory to a file: ${destination}`);
  if (!existing && /\/\.?$/.test(destination)) throw new NotFoundError(`destination directory ${destination} does not exist`);
  // The copy takes the destination's name: rename the archive's top entry.
  const rename = (name: string) => name.replace(new RegExp(`^${escapeRegExp(stat.name)}(?=/|$)`), basename(target));
  await extractArchive(tar, { resolve: (p) => resolveInRoot(dirname(target), p), dest: '/', owner, rename });
}

async function copyToContainer(client: EngineClient, source: string, container: string, path: string, copyUIDGID: boolean): Promise<void> {
  const options = { noOverwriteDirNonDir: true, copyUIDGID };
  let destination = path;
  let stat = await client.statContainerPath(container, destination).catch(() => undefined);
  if (stat && isGoModeSymlink(stat.mode)) {
    destination = stat.linkTarget;
    stat = await client.statContainerPath(container, destination).catch(() => undefined);
  }
  if (source === '-') {
    if (!stat || !isGoModeDir(stat.mode)) throw new InvalidArgumentError(`destination "${container}:${path}" must be a directory`);
    await client.putContainerArchive(container, destination, process.stdin, options);
    return;
  }
  const local = resolve(source);
  const sourceStats = await lstat(local).catch((error: NodeJS.ErrnoException) => {
    throw new NotFoundError(`could not find the file ${source}`, { cause: error });
  });
  if (stat && isGoModeDir(stat.mode)) {
    await client.putContainerArchive(container, destination, packPath(local, basename(local)), options);
    return;
  }
  if (stat && sourceStats.isDirectory()) throw new InvalidArgumentError(`cannot copy a directory to a file: ${container}:${path}`);
  if (!stat && path.endsWith('/')) throw new NotFoundError(`no such directory: ${container}:${path}`);
  await client.putContainerArchive(container, posix.dirname(destination), packPath(local, posix.basename(destination)), options);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
