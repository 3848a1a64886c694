// SPDX-License-Identifier: Apache-2.0
import { mkdir, stat } from 'node:fs/promises';
import { inject, injectable } from 'inversify';
import type { ContainerRecord } from '../container/container-record.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciMount } from '../runtime/oci-spec.js';
import { resolveInRoot } from '../runtime/resolve-in-root.js';
import type { ContainerMount } from './container-mount.js';
import { copyImageContent } from './copy-image-content.js';
import { parseMounts } from './mount-parser.js';
import { toOciMounts } from './oci-mounts.js';
import { VolumeService } from './volume-service.js';

/**
 * A container's mounts through its life, the hooks {@link ContainerService} calls: {@link prepare} at create
 * (validate, create volumes, record them), {@link setup} at start (fill new volumes from the image, create `-v`
 * host directories, spec entries), {@link release} at removal (and the anonymous volumes with `rm -v` / `--rm`),
 * and {@link adopt} when a restarted daemon loads its containers.
 */
@injectable()
export class ContainerMounts {
  constructor(@inject(VolumeService) private readonly volumes: VolumeService) {}

  /** The mounts of a container being created, from its host config and volumes (request's and image's). */
  async prepare(record: ContainerRecord, imageVolumes: Record<string, object> = {}): Promise<ContainerMount[]> {
    const { hostConfig } = record;
    const requested = parseMounts({
      binds: hostConfig.Binds,
      mounts: hostConfig.Mounts,
      tmpfs: hostConfig.Tmpfs,
      volumes: { ...imageVolumes, ...record.config.Volumes },
    });
    for (const m of requested) {
      if (m.type === 'bind' && !m.createSource && !(await exists(m.source))) {
        throw new InvalidArgumentError(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`);
      }
    }
    const mounts: ContainerMount[] = [];
    try {
      for (const { volumeLabels, driverOptions, ...mount } of requested) {
        if (mount.type === 'volume') {
          mount.name = await this.volumes.acquire(record.id, { name: mount.name, labels: volumeLabels, driverOptions });
          mount.source = this.volumes.dataPath(mount.name);
        }
        mounts.push(mount);
      }
    } catch (error) {
      await this.release(record.id, mounts, { removeAnonymous: true });
      throw error;
    }
    return mounts;
  }

  adopt(record: ContainerRecord): void {
    this.volumes.adopt(record.id, volumeNames(record.mounts));
  }

  /**
   * Readies the mounts of a container about to start, whose root filesystem is mounted at `rootfs`, and returns
   * them as spec entries. Clears `copyData` of the volumes it filled: the caller saves the record.
   */
  async setup(record: ContainerRecord, rootfs: string): Promise<OciMount[]> {
    const mounts = record.mounts ?? [];
    for (const m of mounts) {
      if (m.type === 'bind') {
        // `-v` makes a missing source a directory, as Docker does; an existing one (a file too) is bound as it is.
        if (await exists(m.source)) continue;
        if (m.createSource) await mkdir(m.source, { recursive: true });
        else {
          throw new InvalidArgumentError(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`);
        }
      }
      if (m.type === 'volume' && m.copyData) {
        await copyImageContent(await resolveInRoot(rootfs, m.destination), m.source);
        m.copyData = false;
      }
    }
    return toOciMounts(mounts, (record.hostConfig.Tmpfs ?? {}) as Record<string, string>);
  }

  /** Drops the container's claims on its volumes; `removeAnonymous` removes its anonymous volumes too. */
  async release(containerId: string, mounts: ContainerMount[] | undefined, options: { removeAnonymous: boolean }): Promise<void> {
    for (const m of mounts ?? []) {
      if (m.type !== 'volume' || !m.name) continue;
      await this.volumes.release(containerId, m.name, { removeIfAnonymous: options.removeAnonymous && m.anonymous === true });
    }
  }
}

function volumeNames(mounts: ContainerMount[] | undefined): string[] {
  return (mounts ?? []).flatMap((m) => (m.type === 'volume' && m.name ? [m.name] : []));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
