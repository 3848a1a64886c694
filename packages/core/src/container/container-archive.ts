// SPDX-License-Identifier: Apache-2.0
import { lstat, stat as statFollowing } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import { extractArchive } from '../archive/extract-archive.js';
import { packPath } from '../archive/pack-path.js';
import { goFileMode, isGoModeDir, type PathStat } from '../archive/path-stat.js';
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import { resolveContainerUser } from '../runtime/container-user.js';
import { resolveInRoot, type RootMount } from '../runtime/resolve-in-root.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerOperations } from './container-operations.js';
import { ContainerService } from './container-service.js';

export interface ArchiveExtractOptions {
  noOverwriteDirNonDir?: boolean;
  /** Give every entry the container user's uid and gid instead of the archive's. */
  copyUIDGID?: boolean;
}

/** A container's file tree as `cp` sees it: where each container path is on the host, and back. */
interface ContainerTree {
  /** Host path of an absolute container path, symlinks followed inside the container. */
  resolve(path: string): Promise<string>;
  /** The container path of a host path {@link resolve} returned. */
  containerPath(host: string): string;
}

/**
 * `docker cp`'s side of the daemon (`/containers/{id}/archive`): stat, tar and extract paths of a container,
 * running or not. A running container's tree is seen through `/proc/<pid>/root`, which crosses its volumes, binds
 * and tmpfs mounts as the container does; a stopped one through its root filesystem (mounted from first start to
 * removal, or mounted here if never started) with its binds and volumes mapped to their sources. Either way every
 * path is resolved with {@link resolveInRoot}, so nothing outside the container's tree, or outside a mount's
 * source, is read or written.
 */
@injectable()
export class ContainerArchive {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ContainerOperations) private readonly operations: ContainerOperations,
  ) {}

  async stat(idOrName: string, path: string): Promise<PathStat> {
    const record = this.containers.get(idOrName);
    return (await this.locate(record, path)).stat;
  }

  /** The path as a tar stream whose entries start with the path's base name, and its stat. */
  async read(idOrName: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    const record = this.containers.get(idOrName);
    const thaw = await this.operations.freeze(record.id);
    try {
      const { stat, host } = await this.locate(record, path);
      const rebase = /(^|\/)\.$/.test(path) || posix.normalize(`/${path}`) === '/' ? '.' : stat.name;
      const tar = packPath(host, rebase);
      tar.once('close', () => void thaw());
      return { stat, tar };
    } catch (error) {
      await thaw();
      throw error;
    }
  }

  /** Extracts a tar into the container directory `path`, which must exist. */
  async extract(idOrName: string, path: string, tar: Readable, options: ArchiveExtractOptions = {}, signal?: AbortSignal): Promise<void> {
    const record = this.containers.get(idOrName);
    if (record.hostConfig.ReadonlyRootfs) throw new InvalidArgumentError('container rootfs is marked read-only');
    const thaw = await this.operations.freeze(record.id);
    try {
      await this.extractFrozen(record, path, tar, options, signal);
    } finally {
      await thaw();
    }
  }

  private async extractFrozen(record: ContainerRecord, path: string, tar: Readable, options: ArchiveExtractOptions, signal?: AbortSignal): Promise<void> {
    const { stat } = await this.locate(record, path);
    if (!isGoModeDir(stat.mode)) throw new InvalidArgumentError('extraction point is not a directory');
    const tree = await this.tree(record);
    const owner = options.copyUIDGID ? await resolveContainerUser(await this.containers.rootfs(record), record.config.User) : undefined;
    await extractArchive(
      tar,
      {
        resolve: (p) => tree.resolve(p),
        dest: posix.normalize(`/${path}`).replace(/(.)\/$/, '$1'),
        noOverwriteDirNonDir: options.noOverwriteDirNonDir,
        owner: owner && { uid: owner.uid, gid: owner.gid },
      },
      signal,
    );
  }

  /** The host path of `path` with its last component not followed (moby `ResolvePath`), and its stat. */
  private async locate(record: ContainerRecord, path: string): Promise<{ host: string; stat: PathStat }> {
    if (!path) throw new InvalidArgumentError('path cannot be empty');
    const tree = await this.tree(record);
    const absolute = posix.normalize(`/${path}`).replace(/(.)\/$/, '$1');
    const host = absolute === '/' ? await tree.resolve('/') : posix.join(await tree.resolve(posix.dirname(absolute)), posix.basename(absolute));
    // The root is never a symlink to the container, though `/proc/<pid>/root` is one to the host.
    const stats = await (absolute === '/' ? statFollowing(host) : lstat(host)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        throw new NotFoundError(`Could not find the file ${path} in container ${record.name}`, { cause: error });
      }
      throw error;
    });
    const linkTarget = stats.isSymbolicLink() ? tree.containerPath(await tree.resolve(absolute)) : '';
    return {
      host,
      stat: { name: posix.basename(absolute) || '/', size: stats.size, mode: goFileMode(stats), mtime: stats.mtime.toISOString(), linkTarget },
    };
  }

  private async tree(record: ContainerRecord): Promise<ContainerTree> {
    if (record.state.status === 'running' && record.state.pid > 0) {
      // The container's own view, mounts included; absolute symlinks still resolve against it, not the host.
      return rootedTree(`/proc/${record.state.pid}/root`, []);
    }
    const binds = (record.mounts ?? [])
      .filter((m) => m.type !== 'tmpfs' && m.source !== '')
      .map((m) => ({ destination: m.destination, source: m.source }));
    return rootedTree(await this.containers.rootfs(record), binds);
  }
}

/**
 * The tree of `root` with `mounts` in it: container paths resolve with {@link resolveInRoot}, and host paths map
 * back through the mount (or root) whose source holds them.
 */
function rootedTree(root: string, mounts: RootMount[]): ContainerTree {
  const bySource = [...mounts, { destination: '/', source: root }];
  const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  return {
    resolve: (path) => resolveInRoot(root, posix.normalize(`/${path}`), mounts),
    containerPath: (host) => {
      const owner = bySource.find((r) => within(host, r.source)) ?? { destination: '/', source: root };
      return posix.join(owner.destination, posix.relative(owner.source, host) || '.').replace(/(.)\/$/, '$1');
    },
  };
}
