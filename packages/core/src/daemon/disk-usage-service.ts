// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { DiskUsage } from '../api/image.js';
import { toContainerSummary } from '../container/container-presenter.js';
import { ContainerService } from '../container/container-service.js';
import { directorySize } from '../image/directory-size.js';
import { ImageStore } from '../image/image-store.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { VolumeService } from '../volume/volume-service.js';
import { toImageSummary } from './image-service.js';
import type { DiskUsageBackend } from './routes/system-routes.js';

/** Directory trees sized at once. */
const PARALLEL_WALKS = 4;

/**
 * `GET /system/df`: what images, containers and volumes take on disk. Layers are sized once each however many
 * images share them; an image's `SharedSize` is the part of it other images also use, and `Containers` how many
 * containers use it, from which `docker system df` works out what is reclaimable.
 */
@injectable()
export class DiskUsageService implements DiskUsageBackend {
  constructor(
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(VolumeService) private readonly volumes: VolumeService,
  ) {}

  async diskUsage(): Promise<DiskUsage> {
    const records = await this.images.list();
    const layerUsers = new Map<string, number>();
    for (const chainId of records.flatMap((image) => image.chainIds)) layerUsers.set(chainId, (layerUsers.get(chainId) ?? 0) + 1);
    // Each size is a walk of a whole tree: a few at once keep the disk busy without flooding it with stat calls.
    const walks = new ConcurrencyLimit(PARALLEL_WALKS);
    const layerSizes = new Map<string, number>();
    await walks.all([...layerUsers.keys()], async (chainId) => {
      if (await this.snapshotter.hasLayer(chainId)) layerSizes.set(chainId, await directorySize(this.snapshotter.layerPath(chainId)));
    });
    const containers = this.containers.list();
    const images = await Promise.all(
      records.map(async (image) => {
        const sharedSize = image.chainIds
          .filter((chainId) => (layerUsers.get(chainId) ?? 0) > 1)
          .reduce((sum, chainId) => sum + (layerSizes.get(chainId) ?? 0), 0);
        const users = containers.filter((container) => container.imageId === image.id).length;
        return toImageSummary(image, await this.images.config(image), { containers: users, sharedSize });
      }),
    );
    const imageSizes = new Map(records.map((image) => [image.id, image.size]));
    const volumeUsers = new Map<string, number>();
    const containerUsage = await Promise.all(
      containers.map(async (record) => {
        const summary = toContainerSummary(record);
        for (const mount of summary.Mounts) if (mount.Type === 'volume' && mount.Name) volumeUsers.set(mount.Name, (volumeUsers.get(mount.Name) ?? 0) + 1);
        const sizeRw = await walks.run(() => this.snapshotter.writableSize(record.id));
        return { ...summary, SizeRw: sizeRw, SizeRootFs: sizeRw + (imageSizes.get(record.imageId) ?? 0) };
      }),
    );
    const volumes = await Promise.all(
      (await this.volumes.list()).map(async (volume) => ({
        ...volume,
        UsageData: { Size: await walks.run(() => directorySize(volume.Mountpoint)).catch(() => -1), RefCount: volumeUsers.get(volume.Name) ?? 0 },
      })),
    );
    return {
      LayersSize: [...layerSizes.values()].reduce((sum, size) => sum + size, 0),
      Images: images,
      Containers: containerUsage,
      Volumes: volumes,
      BuildCache: [],
    };
  }
}
