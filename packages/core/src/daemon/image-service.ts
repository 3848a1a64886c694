// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import type { ImageDeleteItem, ImageHistoryItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../api/image.js';
import type { ProgressMessage } from '../api/progress-message.js';
import type { ImageConfig } from '../image/image-config.js';
import { createdAt, globPattern, IMAGE_LIST_FILTERS, imageFilter, referenceMatches } from '../image/image-filter.js';
import { ImageEventLogger } from '../image/image-event-logger.js';
import { ImageHistoryReader } from '../image/image-history.js';
import { ImageImporter, type ImportImageOptions } from '../image/image-importer.js';
import { ImageLoader } from '../image/image-loader.js';
import { ImagePruner } from '../image/image-pruner.js';
import { ImagePuller } from '../image/image-puller.js';
import { ImagePusher } from '../image/image-pusher.js';
import type { ImageRecord } from '../image/image-record.js';
import { ImageRemover } from '../image/image-remover.js';
import { ImageSaver } from '../image/image-saver.js';
import { ImageStore } from '../image/image-store.js';
import { ImageTagger } from '../image/image-tagger.js';
import { familiarName, formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import type { RegistryAuth } from '../registry/registry.js';
import type { ImageBackend } from './routes/image-routes.js';

/** The image endpoints' backend: pull, push, tag, list, inspect, remove, save, load and prune, in Docker's shapes. */
@injectable()
export class ImageService implements ImageBackend {
  constructor(
    @inject(ImagePuller) private readonly puller: ImagePuller,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ImageRemover) private readonly remover: ImageRemover,
    @inject(ImagePusher) private readonly pusher: ImagePusher,
    @inject(ImageTagger) private readonly tagger: ImageTagger,
    @inject(ImageSaver) private readonly saver: ImageSaver,
    @inject(ImageLoader) private readonly loader: ImageLoader,
    @inject(ImagePruner) private readonly pruner: ImagePruner,
    @inject(ImageImporter) private readonly importer: ImageImporter,
    @inject(ImageHistoryReader) private readonly historyReader: ImageHistoryReader,
    @inject(ImageEventLogger) private readonly events: ImageEventLogger,
  ) {}

  async pull(
    reference: string,
    options: { auth?: RegistryAuth; platform?: string },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.puller.pull(reference, options, onProgress, signal);
    await this.events.logTransfer('pull', parseImageReference(reference));
  }

  async push(
    name: string,
    options: { tag?: string; auth?: RegistryAuth },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.pusher.push(name, options, onProgress, signal);
    const pushed = parseImageReference(name, { defaultTag: false });
    await this.events.logTransfer('push', { ...pushed, tag: options.tag || pushed.tag });
  }

  async tag(source: string, target: { repo: string; tag?: string }): Promise<void> {
    const reference = parseImageReference(target.repo, { defaultTag: false });
    const name = formatReference({ ...reference, tag: target.tag ?? reference.tag });
    const image = await this.tagger.tag(source, name);
    await this.events.log('tag', image.id, familiarTag(name));
  }

  /** `filters`: `dangling`, `label`, `reference` (which also narrows the tags shown) and `until`. */
  async list(options: { filters?: Record<string, string[]> } = {}): Promise<ImageSummary[]> {
    const filters = options.filters ?? {};
    const matches = imageFilter(filters, IMAGE_LIST_FILTERS);
    const patterns = (filters.reference ?? []).map(globPattern);
    // As moby, only the references the filter matched are shown: the CLI prints a row for each.
    const matching = (names: string[]) => (patterns.length ? names.filter((name) => patterns.some((pattern) => referenceMatches(pattern, name))) : names);
    const images = await Promise.all((await this.images.list()).map(async (image) => ({ image, config: await this.images.config(image) })));
    return images
      .filter(matches)
      .map(({ image, config }) => toImageSummary({ ...image, repoTags: matching(image.repoTags), repoDigests: matching(image.repoDigests) }, config));
  }

  save(names: string[], signal?: AbortSignal): Promise<Readable> {
    return this.saver.save(names, signal);
  }

  async load(archive: Readable, onProgress: (message: ProgressMessage) => void, signal: AbortSignal): Promise<void> {
    for (const { id } of await this.loader.load(archive, onProgress, signal)) await this.events.log('load', id, id);
  }

  async prune(filters: Record<string, string[]>): Promise<ImagePruneResponse> {
    const report = await this.pruner.prune(filters);
    this.events.logPrune(report.SpaceReclaimed);
    return report;
  }

  async import(options: ImportImageOptions): Promise<string> {
    const image = await this.importer.import(options);
    // As moby's import, which names the image through its TagImage first.
    for (const tag of image.repoTags) await this.events.log('tag', image.id, familiarTag(tag));
    await this.events.log('import', image.id, image.id);
    return image.id;
  }

  history(name: string): Promise<ImageHistoryItem[]> {
    return this.historyReader.history(name);
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

/** An image as `GET /images/json` lists it; `Containers` and `SharedSize` are only counted by `system df`. */
export function toImageSummary(image: ImageRecord, config: ImageConfig, usage = { containers: -1, sharedSize: -1 }): ImageSummary {
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: image.repoTags.map(familiarTag),
    RepoDigests: image.repoDigests.map(familiarTag),
    Created: Math.floor(createdAt(config) / 1000),
    Size: image.size,
    SharedSize: usage.sharedSize,
    VirtualSize: image.size,
    Labels: config.config?.Labels ?? {},
    Containers: usage.containers,
  };
}

function toImageInspect(image: ImageRecord, config: ImageConfig): ImageInspect {
  return {
    Id: image.id,
    RepoTags: image.repoTags.map(familiarTag),
    RepoDigests: image.repoDigests.map(familiarTag),
    Parent: '',
    Comment: config.comment ?? '',
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
export function familiarTag(name: string): string {
  return familiarName(parseImageReference(name));
}
