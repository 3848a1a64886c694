// SPDX-License-Identifier: Apache-2.0
import { inject, injectable, optional } from 'inversify';
import type { ImageDeleteItem } from '../api/image.js';
import { ContentStore } from '../content/content-store.js';
import { ConflictError } from '../errors/engine-error.js';
import { familiarName, formatReference, parseImageReference, repositoryName } from '../registry/image-reference-parser.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { ImageEventLogger } from './image-event-logger.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';
import { ImageUsage } from './image-usage.js';

export interface ImageRemoveOptions {
  /** Remove even when the image has several tags or a stopped container uses it (the image then stays, untagged). */
  force?: boolean;
}

/**
 * `docker rmi`: untags by name, and deletes an image once nothing names it, with the layers and blobs no other
 * image shares. Answers Docker's list of what was untagged and deleted.
 */
@injectable()
export class ImageRemover {
  constructor(
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageUsage) @optional() private readonly usage?: ImageUsage,
    @inject(ImageEventLogger) @optional() private readonly events?: ImageEventLogger,
  ) {}

  async remove(nameOrId: string, options: ImageRemoveOptions = {}): Promise<ImageDeleteItem[]> {
    const image = await this.images.resolve(nameOrId);
    const name = this.nameIn(image, nameOrId);
    const users = (await this.usage?.usersOf(image.id)) ?? [];
    const short = image.id.slice('sha256:'.length, 'sha256:'.length + 12);

    if (name !== undefined && image.repoTags.filter((tag) => tag !== name).length > 0) {
      const untagged = [name, ...orphanedDigests(image, name)];
      for (const each of untagged) await this.untag(image, each);
      return untagged.map((each) => ({ Untagged: familiar(each) }));
    }
    const running = users.find((user) => user.running);
    if (running) {
      throw new ConflictError(
        name === undefined
          ? `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.containerId.slice(0, 12)}`
          : `conflict: unable to remove repository reference "${nameOrId}" (must force) - container ${running.containerId.slice(0, 12)} is using its referenced image ${short}`,
      );
    }
    if (!options.force) {
      if (users.length) {
        throw new ConflictError(
          `conflict: unable to ${name === undefined ? `delete ${short}` : `remove repository reference "${nameOrId}"`} (must be forced) - image is being used by stopped container ${users[0].containerId.slice(0, 12)}`,
        );
      }
      if (name === undefined && image.repoTags.length > 1) {
        throw new ConflictError(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
      }
    }

    const names = [...image.repoTags, ...image.repoDigests];
    for (const each of names) await this.untag(image, each);
    const items: ImageDeleteItem[] = names.map((each) => ({ Untagged: familiar(each) }));
    // A stopped container still mounts the image's layers: leave the image dangling rather than pull them away.
    if (users.length) return items;
    await this.images.remove(image.id);
    await this.events?.log('delete', image.id, image.id);
    return [...items, { Deleted: image.id }, ...(await this.release(image))];
  }

  /** The fully-qualified name `nameOrId` refers to `image` by, or undefined when it names it by id. */
  private nameIn(image: ImageRecord, nameOrId: string): string | undefined {
    try {
      const reference = parseImageReference(nameOrId);
      const name = formatReference(reference.digest ? { ...reference, tag: undefined } : reference);
      return image.repoTags.includes(name) || image.repoDigests.includes(name) ? name : undefined;
    } catch {
      return undefined;
    }
  }

  /** Takes `name` off `image`. Its event names the image by id, not by the name that went, as moby's classic store. */
  private async untag(image: ImageRecord, name: string): Promise<void> {
    await this.images.untag(name);
    await this.events?.log('untag', image.id, image.id);
  }

  /** Removes the layers (top first) and blobs of a deleted image that no remaining image uses. */
  private async release(image: ImageRecord): Promise<ImageDeleteItem[]> {
    const others = await this.images.list();
    const usedLayers = new Set(others.flatMap((other) => other.chainIds));
    const usedBlobs = new Set(others.flatMap(blobsOf));
    const deleted: ImageDeleteItem[] = [];
    for (const chainId of [...image.chainIds].reverse()) {
      if (usedLayers.has(chainId) || !(await this.snapshotter.hasLayer(chainId))) continue;
      await this.snapshotter.removeLayer(chainId);
      deleted.push({ Deleted: chainId });
    }
    for (const digest of blobsOf(image)) if (!usedBlobs.has(digest)) await this.content.delete(digest);
    return deleted;
  }
}

function blobsOf(image: ImageRecord): string[] {
  return [
    image.id,
    image.manifestDigest,
    ...image.layers.map((layer) => layer.digest),
    ...image.repoDigests.map((name) => name.slice(name.indexOf('@') + 1)),
  ];
}

/**
 * As moby: when the last tag of a repository goes, the repository's digest references (`repo@sha256:…`) go with
 * it, or `docker images` would go on listing the repository as `<none>`.
 */
function orphanedDigests(image: ImageRecord, name: string): string[] {
  if (!image.repoTags.includes(name)) return [];
  const repository = (each: string) => repositoryName(parseImageReference(each, { defaultTag: false }));
  const repo = repository(name);
  if (image.repoTags.some((tag) => tag !== name && repository(tag) === repo)) return [];
  return image.repoDigests.filter((digest) => repository(digest) === repo);
}

function familiar(name: string): string {
  return familiarName(parseImageReference(name, { defaultTag: false }));
}
