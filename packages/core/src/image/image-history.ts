// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { ImageHistoryItem } from '../api/image.js';
import { InternalError } from '../errors/engine-error.js';
import { familiarName, parseImageReference } from '../registry/image-reference-parser.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { chainIds } from './chain-id.js';
import { ImageStore } from './image-store.js';

const MISSING = '<missing>';

/**
 * `docker history`: the steps of an image's config `history`, newest first, each non-empty one sized by its layer
 * (moby's containerd `ImageHistory`). Only the newest entry carries the image's id and tags: images here have no
 * parent images, so the steps below are `<missing>`, as Docker shows for a pulled image.
 */
@injectable()
export class ImageHistoryReader {
  constructor(
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
  ) {}

  async history(name: string): Promise<ImageHistoryItem[]> {
    const image = await this.images.resolve(name);
    const config = await this.images.config(image);
    const sizes = await Promise.all(chainIds(config.rootfs.diff_ids).map((chainId) => this.snapshotter.layerSize(chainId)));
    const items: ImageHistoryItem[] = [];
    for (const step of config.history ?? []) {
      let size = 0;
      if (!step.empty_layer) {
        if (sizes.length === 0) throw new InternalError(`image ${image.id}: its history lists more layers than its rootfs`);
        size = sizes.shift() ?? 0;
      }
      items.unshift({
        Id: MISSING,
        Created: Math.floor((Date.parse(step.created ?? '') || 0) / 1000),
        CreatedBy: step.created_by ?? '',
        Tags: null,
        Size: size,
        Comment: step.comment ?? '',
      });
    }
    if (items.length > 0) {
      items[0].Id = image.id;
      const tags = image.repoTags.map((tag) => familiarName(parseImageReference(tag)));
      items[0].Tags = tags.length > 0 ? tags : null;
    }
    return items;
  }
}
