// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import { packDirectoryContents } from '../archive/pack-path.js';
import { EventBus } from '../events/event-bus.js';
import { containerEvent } from './container-event.js';
import { ContainerService } from './container-service.js';

/**
 * `docker export` (`GET /containers/{id}/export`): a container's root file system as one tar: its image's files
 * and what it wrote, without its volumes, binds or tmpfs mounts (those are mounted in the container's own mount
 * namespace, never on the host's view of the rootfs read here). Like moby's `containerExport`, a running container
 * is not paused: the tar is a snapshot taken on the fly.
 */
@injectable()
export class ContainerExporter {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(EventBus) private readonly events: EventBus,
  ) {}

  /** The tar stream; the `export` event is published once it has been read to its end, as Docker does. */
  async export(idOrName: string): Promise<Readable> {
    const record = this.containers.get(idOrName);
    // Mounted from first start to removal; one never started is mounted now and stays so until removed.
    const tar = packDirectoryContents(await this.containers.rootfs(record));
    tar.once('end', () => this.events.publish(containerEvent(record, 'export')));
    return tar;
  }
}
