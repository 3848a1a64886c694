// SPDX-License-Identifier: Apache-2.0
import { inject, injectable, optional } from 'inversify';
import type { ImageDeleteItem, ImagePruneResponse } from '../api/image.js';
import { isConflict } from '../errors/engine-error.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { directorySize } from './directory-size.js';
import { IMAGE_PRUNE_FILTERS, imageFilter } from './image-filter.js';
import { ImageRemover } from './image-remover.js';
import { ImageStore } from './image-store.js';
import { ImageUsage } from './image-usage.js';

/**
 * `docker image prune`: removes the images no container uses — only untagged (dangling) ones unless the filter
 * `dangling=false` asks for all — with the layers no remaining image shares, and adds up the space those layers
 * took.
 */
@injectable()
export class ImagePruner {
  constructor(
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ImageRemover) private readonly remover: ImageRemover,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageUsage) @optional() private readonly usage?: ImageUsage,
  ) {}

  async prune(filters: Record<string, string[]> = {}): Promise<ImagePruneResponse> {
    const matches = imageFilter({ dangling: ['true'], ...filters }, IMAGE_PRUNE_FILTERS);
    const deleted: ImageDeleteItem[] = [];
    let reclaimed = 0;
    for (const image of await this.images.list()) {
      if (!matches({ image, config: await this.images.config(image) })) continue;
      if (((await this.usage?.usersOf(image.id)) ?? []).length > 0) continue;
      const layerSizes = new Map<string, number>();
      for (const chainId of image.chainIds) {
        if (await this.snapshotter.hasLayer(chainId)) layerSizes.set(chainId, await directorySize(this.snapshotter.layerPath(chainId)));
      }
      let items: ImageDeleteItem[];
      try {
        // Forced: an unused image with several tags goes with all of them, as Docker's prune does.
        items = await this.remover.remove(image.id, { force: true });
      } catch (error) {
        // A container created meanwhile took the image: it is no longer unused.
        if (isConflict(error)) continue;
        throw error;
      }
      for (const item of items) if ('Deleted' in item) reclaimed += layerSizes.get(item.Deleted) ?? 0;
      deleted.push(...items);
    }
    return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
  }
}
