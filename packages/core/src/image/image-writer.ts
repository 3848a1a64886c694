// SPDX-License-Identifier: Apache-2.0
import { createReadStream } from 'node:fs';
import { inject, injectable } from 'inversify';
import { ContentStore } from '../content/content-store.js';
import { MediaType } from '../registry/media-types.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { chainIds } from './chain-id.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';
import { ingestLayer } from './layer-ingest.js';

/**
 * A layer tar on disk to add to an image, uncompressed, with its diff id. The diff id is hashed by whoever writes
 * the file, as it writes it (a `DiffIdTap` in its pipeline): the snapshotter keys the layer by a chain id
 * made from it, so it must be known before the layer is unpacked, and hashing the file on its own would read
 * every layer twice. Unpacking checks it again.
 */
export interface NewLayer {
  path: string;
  diffId: string;
}

export interface ImageWriteOptions {
  /** The image the new layers go on top of; none for an image of its own layers only (`import`, `FROM scratch`). */
  parent?: ImageRecord;
  /** Layer tars to add, lowest first; may be empty (an image differing from its parent in config only). */
  layers: NewLayer[];
  /** The new image's config; `rootfs` is filled in here: the parent's diff ids, then the new layers'. */
  config: Omit<ImageConfig, 'rootfs'>;
  /** Fully qualified names (`docker.io/library/x:latest`) to point at the image, taken from any other image. */
  tags?: string[];
  /** Names the image's source in errors (`commit`, `import`, `build`). */
  what?: string;
  signal?: AbortSignal;
}

/**
 * Stores an image made on this host from layer tars and a config: each layer is unpacked through the snapshotter
 * and kept uncompressed in the content store under its diff id (as `load` keeps them), so the image can be run,
 * pushed and saved like a pulled one. Shared by `commit`, `build` and `import`.
 */
@injectable()
export class ImageWriter {
  constructor(
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageStore) private readonly images: ImageStore,
  ) {}

  async write(options: ImageWriteOptions): Promise<ImageRecord> {
    const what = options.what ?? 'new image';
    const { parent } = options;
    const diffIds = parent ? [...(await this.images.config(parent)).rootfs.diff_ids] : [];
    const layers: ImageRecord['layers'] = [...(parent?.layers ?? [])];
    for (const { path, diffId } of options.layers) {
      options.signal?.throwIfAborted();
      diffIds.push(diffId);
      const chain = chainIds(diffIds);
      const chainId = chain[chain.length - 1];
      if (!(await this.snapshotter.hasLayer(chainId)) || !(await this.content.has(diffId))) {
        await ingestLayer(this.content, this.snapshotter, {
          what,
          blob: createReadStream(path),
          digest: diffId,
          compression: 'none',
          diffId,
          chainId,
          parents: chain.slice(0, -1),
          signal: options.signal,
        });
      }
      layers.push({ digest: diffId, mediaType: MediaType.OciLayer, size: (await this.content.size(diffId)) ?? 0 });
    }

    const configBytes = Buffer.from(JSON.stringify({ ...options.config, rootfs: { type: 'layers', diff_ids: diffIds } }));
    const record = await recordImage({ content: this.content, snapshotter: this.snapshotter, images: this.images }, { configBytes, layers, chainIds: chainIds(diffIds), tags: options.tags ?? [] });
    return (await this.images.get(record.id)) ?? record;
  }
}

/**
 * Stores the config and a manifest of the layers as stored (so the image can be pushed as it is) and adds the image's
 * record. The layers must already be in the content store and the snapshotter. Shared with `load`, which keeps the
 * archive's config bytes as they are.
 */
export async function recordImage(
  stores: { content: ContentStore; snapshotter: Snapshotter; images: ImageStore },
  image: { configBytes: Buffer; layers: ImageRecord['layers']; chainIds: string[]; tags: string[] },
): Promise<ImageRecord> {
  const { content, snapshotter, images } = stores;
  const id = await content.put(image.configBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: id, size: image.configBytes.length },
      layers: image.layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
    }),
  );
  const sizes = await Promise.all(image.chainIds.map((chainId) => snapshotter.layerSize(chainId)));
  const record: ImageRecord = {
    id,
    manifestDigest: await content.put(manifest),
    repoTags: image.tags,
    repoDigests: [],
    layers: image.layers,
    chainIds: image.chainIds,
    size: sizes.reduce((sum, size) => sum + size, 0),
    recordedAt: new Date().toISOString(),
  };
  await images.add(record);
  return record;
}
