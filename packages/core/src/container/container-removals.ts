// SPDX-License-Identifier: Apache-2.0
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshotter } from '../snapshot/snapshotter.js';

/**
 * Takes down what a removed container leaves after its removal has answered: its task (the runtime's state and the
 * supervisor's files), the network namespace its exit's cleanup is still releasing, its root filesystem and its
 * bundle. Unmounting an overlay syncs the file system its upper dir lives on (unless mounted `volatile`, which only
 * `--rm` containers are), which on a busy disk takes from tens of milliseconds to half a second; the directories go
 * one file at a time; deleting a task runs the runtime, and a veth's deletion waits for the kernel. A removal would
 * wait for all of them, `compose down` for the slowest of its containers.
 *
 * Nothing waits for them, as nothing can reach them: the container's record, name, volumes, addresses and ports
 * are released before the removal answers, and a new container gets a new id, so new task, bundle and snapshot
 * dirs. What still could — a daemon stopping, an image's layers (a rootfs being unmounted stacks on them) — waits
 * with {@link settled}. A daemon that stops mid-way (killed, crashed) leaves tasks and bundles of no container,
 * which the next one removes with {@link sweep} before serving.
 */
export class ContainerRemovals {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly snapshotter: Snapshotter,
    /** The dir of containers' bundles: `<bundlesDir>/<id>`, with the rootfs mounted at `rootfs` in it. */
    private readonly bundlesDir: string,
  ) {}

  /**
   * Starts taking down container `id`'s rootfs and bundle, and side by side `task`, the caller's removal of its
   * task; a failure is a warning, and the next daemon's sweep retries.
   */
  remove(id: string, task?: () => Promise<void>): void {
    const warn = (what: string) => (error: unknown) => process.emitWarning(`container ${id}: removing its ${what}: ${(error as Error).message}`);
    const removal = Promise.all([this.removeNow(id).catch(warn('rootfs')), task?.().catch(warn('task'))])
      .then(() => undefined)
      .finally(() => this.pending.delete(removal));
    this.pending.add(removal);
  }

  /** Resolves once every removal started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  /**
   * Removes what containers not in `known` left, which a daemon that stopped mid-way does: their bundles (and
   * rootfs), and with `deleteTask` those of `tasks` (the supervisor's) that are theirs.
   */
  async sweep(known: ReadonlySet<string>, tasks: Iterable<string>, deleteTask: (id: string) => Promise<void>): Promise<void> {
    const orphanTasks = new Set([...tasks].filter((id) => !known.has(id)));
    const bundles = await readdir(this.bundlesDir).catch(() => [] as string[]);
    for (const id of new Set([...bundles, ...orphanTasks])) {
      if (!known.has(id)) this.remove(id, orphanTasks.has(id) ? () => deleteTask(id) : undefined);
    }
    await this.settled();
  }

  private async removeNow(id: string): Promise<void> {
    const bundle = join(this.bundlesDir, id);
    await this.snapshotter.removeRootfs(id, join(bundle, 'rootfs'));
    // Only once unmounted: the bundle holds the mount point.
    await rm(bundle, { recursive: true, force: true });
  }
}
