// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { ImageDeleteItem, ImageInspect, ImageSummary } from '../api/image.js';
import type { ProgressMessage } from '../api/progress-message.js';
import type { ImageConfig } from '../image/image-config.js';
import { ImagePuller } from '../image/image-puller.js';
import { ImagePusher } from '../image/image-pusher.js';
import type { ImageRecord } from '../image/image-record.js';
import { ImageRemover } from '../image/image-remover.js';
import { ImageStore } from '../image/image-store.js';
import { ImageTagger } from '../image/image-tagger.js';
import { familiarName, formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { RegistryAuth } from '../registry/registry.js';
import type { ImageBackend } from './routes/image-routes.js';

/** The image endpoints' backend: pull, push, tag, list, inspect and remove, answered in Docker's shapes. */
@injectable()
export class ImageService implements ImageBackend {
  constructor(
    @inject(ImagePuller) private readonly puller: ImagePuller,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ImageRemover) private readonly remover: ImageRemover,
    @inject(ImagePusher) private readonly pusher: ImagePusher,
    @inject(ImageTagger) private readonly tagger: ImageTagger,
  ) {}

  async pull(
    reference: string,
    options: { auth?: RegistryAuth; platform?: string },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.puller.pull(reference, options, onProgress, signal);
  }

  async push(
    name: string,
    options: { tag?: string; auth?: RegistryAuth },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.pusher.push(name, options, onProgress, signal);
  }

  async tag(source: string, target: { repo: string; tag?: string }): Promise<void> {
    const reference = parseImageReference(target.repo, { defaultTag: false });
    await this.tagger.tag(source, formatReference({ ...reference, tag: target.tag ?? reference.tag }));
  }

  async list(): Promise<ImageSummary[]> {
    const records = await this.images.list();
    return Promise.all(
      records.map(async (image) => {
        const config = await this.images.config(image);
        return {
          Id: image.id,
          ParentId: '',
          RepoTags: image.repoTags.map(familiarTag),
          RepoDigests: image.repoDigests.map(familiarTag),
          Created: createdSeconds(config),
          Size: image.size,
          SharedSize: -1,
          VirtualSize: image.size,
          Labels: config.config?.Labels ?? {},
          Containers: -1,
        };
      }),
    );
  }

  async inspect(name: string): Promise<ImageInspect> {
    const image = await this.images.resolve(name);
    const config = await this.images.config(image);
    return toImageInspect(image, config);
  }

  remove(name: string, options: { force: boolean }): Promise<ImageDeleteItem[]> {
    return this.remover.remove(name, { force: options.force });
  }
}

function toImageInspect(image: ImageRecord, config: ImageConfig): ImageInspect {
  return {
    Id: image.id,
    RepoTags: image.repoTags.map(familiarTag),
    RepoDigests: image.repoDigests.map(familiarTag),
    Parent: '',
    Comment: '',
    Created: config.created ?? '0001-01-01T00:00:00Z',
    Author: config.author ?? '',
    Config: config.config ?? {},
    Architecture: config.architecture,
    Variant: config.variant,
    Os: config.os,
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: { Name: 'overlay2', Data: null },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: image.recordedAt },
  };
}

// Docker shows names in their familiar form: `busybox:latest`, not `docker.io/library/busybox:latest`.
function familiarTag(name: string): string {
  return familiarName(parseImageReference(name));
}

function createdSeconds(config: ImageConfig): number {
  const time = config.created ? Date.parse(config.created) : NaN;
  return Number.isNaN(time) ? 0 : Math.floor(time / 1000);
}
