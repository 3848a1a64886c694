// SPDX-License-Identifier: Apache-2.0
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostTool } from '../runtime/find-executable.js';
import { hostCommand } from './host-command.js';

/**
 * Persistent network namespaces, one per container, bind-mounted at `<exec-root>/netns/<container id>`. The
 * namespace exists before the container (the CNI plugins wire it first, the runtime joins it by path) and after
 * it (so its interfaces are torn down by the engine, not by chance).
 */
export class NetworkNamespaces {
  constructor(private readonly directory: string) {}

  pathOf(containerId: string): string {
    return join(this.directory, containerId);
  }

  /** Makes the namespace with its loopback up (a namespace the runtime joins by path gets no loopback from it). */
  async create(containerId: string): Promise<string> {
    const path = this.pathOf(containerId);
    await mkdir(this.directory, { recursive: true });
    await writeFile(path, '');
    // unshare(1) binds the new namespace onto the file and runs `ip` inside it: one process for both jobs.
    await hostCommand('unshare', [`--net=${path}`, hostTool('ip'), 'link', 'set', 'lo', 'up']);
    return path;
  }

  async delete(containerId: string): Promise<void> {
    const path = this.pathOf(containerId);
    await hostCommand('umount', [path]).catch((error: Error) => {
      if (!/not mounted|no mount point|No such file/i.test(error.message)) throw error;
    });
    await rm(path, { force: true });
  }

  /** Ids of the namespaces that exist, for sweeping those no container owns. */
  async list(): Promise<string[]> {
    return readdir(this.directory).catch(() => []);
  }
}
