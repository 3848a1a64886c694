// SPDX-License-Identifier: Apache-2.0
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshotter } from '../snapshot/snapshotter.js';

/**
 * Takes the root filesystems and bundles of removed containers down after their removal has answered. Unmounting an
 * overlay syncs the file system its upper dir lives on (unless mounted `volatile`, which only `--rm` containers
 * are), which on a busy disk takes from tens of milliseconds to half a second, and the directories go one file at
 * a time: a removal would wait for both, `compose down` for the slowest of its containers.
 *
 * Nothing waits for them, as nothing can reach them: the container's record, name, volumes and network endpoints
 * are released before the removal answers, and a new container gets a new id, so new bundle and snapshot dirs.
 * What still could — a daemon stopping, an image's layers (a rootfs being unmounted stacks on them) — waits with
 * {@link settled}. A daemon that stops mid-way (killed, crashed) leaves a bundle of no container, which the next one
 * removes with {@link sweep} before serving.
 */
export class RootfsRemovals {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly snapshotter: Snapshotter,
    /** The dir of containers' bundles: `<bundlesDir>/<id>`, with the rootfs mounted at `rootfs` in it. */
    private readonly bundlesDir: string,
  ) {}

  /** Starts taking down container `id`'s rootfs and bundle; a failure is a warning, the next daemon's sweep retries. */
  remove(id: string): void {
    const removal = this.removeNow(id)
      .catch((error: unknown) => process.emitWarning(`container ${id}: removing its rootfs: ${(error as Error).message}`))
      .finally(() => this.pending.delete(removal));
    this.pending.add(removal);
  }

  /** Resolves once every removal started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  /** Removes the bundles (and their rootfs) of containers not in `known`: what a daemon that stopped mid-way left. */
  async sweep(known: ReadonlySet<string>): Promise<void> {
    const ids = await readdir(this.bundlesDir).catch(() => [] as string[]);
    for (const id of ids.filter((name) => !known.has(name))) this.remove(id);
    await this.settled();
  }

  private async removeNow(id: string): Promise<void> {
    const bundle = join(this.bundlesDir, id);
    await this.snapshotter.removeRootfs(id, join(bundle, 'rootfs'));
    // Only once unmounted: the bundle holds the mount point.
    await rm(bundle, { recursive: true, force: true });
  }
}
