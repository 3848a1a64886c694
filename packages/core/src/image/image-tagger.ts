// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';

/** `docker tag`: gives an image another name. */
@injectable()
export class ImageTagger {
  constructor(@inject(ImageStore) private readonly images: ImageStore) {}

  /**
   * Points `target` (`repo[:tag]`, tag `latest` when absent) at the image `source` names (name or id), taking the
   * name from any image that had it. Resolves with the image, its names updated.
   */
  async tag(source: string, target: string): Promise<ImageRecord> {
    const reference = parseImageReference(target);
    if (reference.digest) throw new InvalidArgumentError(`refusing to create a tag with a digest reference: ${target}`);
    const image = await this.images.resolve(source);
    // Only the new name is passed: the store keeps the image's other names as they are now. The time is the
    // image's last tag time.
    await this.images.add({ ...image, repoTags: [], repoDigests: [], recordedAt: new Date().toISOString() }, formatReference(reference));
    return (await this.images.get(image.id)) ?? image;
  }
}
