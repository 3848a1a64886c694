// SPDX-License-Identifier: Apache-2.0
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { inject, injectable, optional } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import { ContentStore } from '../content/content-store.js';
import { digestHex, sha256Digest } from '../content/digest.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { Descriptor } from '../registry/descriptor.js';
import { familiarName, formatReference, parseImageReference } from '../registry/image-reference-parser.js';
import { parseManifest } from '../registry/manifest.js';
import { layerCompression, MediaType, type LayerCompression } from '../registry/media-types.js';
import { hostPlatform, selectPlatformManifest } from '../registry/platform-matcher.js';
import { engineTmpDir } from '../shared/engine-tmp-dir.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { chainIds as computeChainIds } from './chain-id.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';
import type { ArchiveManifestItem } from './image-saver.js';
import { ImageStore } from './image-store.js';
import { recordImage } from './image-writer.js';
import { layerDecompressor, sniffFileCompression } from './layer-decompressor.js';
import { ingestLayer } from './layer-ingest.js';
import { shortLayerId } from './progress-bar.js';
import type { ProgressListener } from './shared-transfers.js';
import { SpooledArchive } from './spooled-archive.js';

/** An image of an archive, whichever of its two descriptions it came from. */
interface ArchivedImage {
  config: Buffer;
  /** Fully qualified. */
  tags: string[];
  /** Archive paths of the layer blobs, lowest first; compression sniffed when unknown. */
  layers: { path: string; compression?: LayerCompression }[];
}

export interface LoadedImage {
  id: string;
  /** Fully qualified. */
  tags: string[];
}

/**
 * `docker load`: takes an archive of `docker save` (Docker's legacy `manifest.json` layout, or the OCI image layout
 * Docker 25+ and other tools write, with layers compressed or not). Each layer is unpacked through the snapshotter,
 * its tar checked against the config's diff id, and stored uncompressed under that diff id, so the image can be
 * pushed or saved again. An image is recorded only once all its layers are in.
 */
@injectable()
export class ImageLoader {
  constructor(
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(EngineConfig) @optional() private readonly config?: EngineConfig,
  ) {}

  async load(archive: Readable, onProgress: ProgressListener = () => {}, signal?: AbortSignal): Promise<LoadedImage[]> {
    const dir = await engineTmpDir(this.config, 'load');
    try {
      const spooled = await SpooledArchive.spool(archive, dir, signal);
      const loaded: LoadedImage[] = [];
      for (const image of await archivedImages(spooled)) {
        const record = await this.loadImage(spooled, image, onProgress, signal);
        loaded.push({ id: record.id, tags: image.tags });
        if (image.tags.length === 0) onProgress({ stream: `Loaded image ID: ${record.id}\n` });
        for (const tag of image.tags) onProgress({ stream: `Loaded image: ${familiarName(parseImageReference(tag))}\n` });
      }
      return loaded;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async loadImage(spooled: SpooledArchive, image: ArchivedImage, onProgress: ProgressListener, signal?: AbortSignal): Promise<ImageRecord> {
    let config: ImageConfig;
    try {
      config = JSON.parse(image.config.toString('utf8')) as ImageConfig;
    } catch (cause) {
      throw new InvalidArgumentError('image archive: an image config is not valid JSON', { cause });
    }
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== image.layers.length) {
      throw new InvalidArgumentError(`image archive: an image has ${image.layers.length} layers but its config lists ${diffIds.length} diff ids`);
    }
    const id = await this.content.put(image.config);
    const chainIds = computeChainIds(diffIds);
    const existing = await this.images.get(id);
    const present = await Promise.all(chainIds.map((chainId) => this.snapshotter.hasLayer(chainId)));
    if (existing && present.every(Boolean)) {
      await this.images.add({ ...existing, repoTags: image.tags });
      return existing;
    }

    const layers: ImageRecord['layers'] = [];
    for (const [i, layer] of image.layers.entries()) {
      signal?.throwIfAborted();
      const diffId = diffIds[i];
      const progressId = shortLayerId(diffId);
      if (!present[i] || !(await this.content.has(diffId))) {
        onProgress({ status: 'Loading layer', id: progressId, progressDetail: {} });
        const file = spooled.require(layer.path);
        const compression = layer.compression ?? (await sniffFileCompression(file));
        const what = `image archive: layer ${layer.path}`;
        await ingestLayer(this.content, this.snapshotter, {
          what: 'image archive',
          blob: pipeline(createReadStream(file), layerDecompressor(compression, what), () => {}),
          digest: diffId,
          compression: 'none',
          diffId,
          chainId: chainIds[i],
          parents: chainIds.slice(0, i),
          signal,
        });
      }
      layers.push({ digest: diffId, mediaType: MediaType.OciLayer, size: (await this.content.size(diffId)) ?? 0 });
    }

    return recordImage({ content: this.content, snapshotter: this.snapshotter, images: this.images }, { configBytes: image.config, layers, chainIds, tags: image.tags });
  }
}

/** The images an archive holds: from `manifest.json` when there is one (Docker's own), else from its OCI `index.json`. */
async function archivedImages(spooled: SpooledArchive): Promise<ArchivedImage[]> {
  if (spooled.file('manifest.json')) {
    const items = await spooled.readJson<ArchiveManifestItem[]>('manifest.json');
    if (!Array.isArray(items)) throw new InvalidArgumentError('image archive: manifest.json is not a list of images');
    const images: ArchivedImage[] = [];
    for (const item of items) {
      if (typeof item?.Config !== 'string' || !Array.isArray(item.Layers)) {
        throw new InvalidArgumentError('image archive: a manifest.json entry lacks Config or Layers');
      }
      images.push({ config: await spooled.read(item.Config), tags: (item.RepoTags ?? []).map(qualifiedTag), layers: item.Layers.map((path) => ({ path })) });
    }
    return images;
  }
  if (spooled.file('index.json')) return ociImages(spooled);
  throw new InvalidArgumentError('not an image archive: it has neither manifest.json nor index.json', {
    hint: 'load an archive written by `docker save` (or an OCI image layout packed as a tar)',
  });
}

/** The images of an OCI image layout: each manifest the index lists (this platform's, for a nested index). */
async function ociImages(spooled: SpooledArchive): Promise<ArchivedImage[]> {
  const index = await spooled.readJson<{ manifests?: Descriptor[] }>('index.json');
  const byManifest = new Map<string, ArchivedImage>();
  for (const descriptor of index.manifests ?? []) {
    const { digest, image } = await ociImage(spooled, descriptor);
    const entry = byManifest.get(digest) ?? image;
    const name = nameOf(descriptor.annotations ?? {});
    if (name && !entry.tags.includes(name)) entry.tags.push(name);
    byManifest.set(digest, entry);
  }
  return [...byManifest.values()];
}

async function ociImage(spooled: SpooledArchive, descriptor: Descriptor, nested = false): Promise<{ digest: string; image: ArchivedImage }> {
  const what = `image archive: ${descriptor.digest}`;
  const bytes = await spooled.read(ociBlobPath(descriptor.digest));
  if (sha256Digest(bytes) !== descriptor.digest) throw new InvalidArgumentError(`${what}: content does not match its digest`);
  const parsed = parseManifest(bytes, descriptor.mediaType, what);
  if (parsed.kind === 'index') {
    if (nested) throw new InvalidArgumentError(`${what}: nested index is not supported`);
    return ociImage(spooled, selectPlatformManifest(parsed.index.manifests, hostPlatform(), what), true);
  }
  const { config, layers } = parsed.manifest;
  const configBytes = await spooled.read(ociBlobPath(config.digest));
  if (sha256Digest(configBytes) !== config.digest) throw new InvalidArgumentError(`${what}: config ${config.digest} does not match its digest`);
  return {
    digest: descriptor.digest,
    image: {
      config: configBytes,
      tags: [],
      layers: layers.map((layer) => ({ path: ociBlobPath(layer.digest), compression: layerCompression(layer.mediaType) })),
    },
  };
}

function ociBlobPath(digest: string): string {
  return `blobs/sha256/${digestHex(digest)}`;
}

/** The image name an index entry carries: containerd's annotation, or a ref name that is a full reference. */
function nameOf(annotations: Record<string, string>): string | undefined {
  const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
  if (!name || !/[:/]/.test(name)) return undefined;
  try {
    return qualifiedTag(name);
  } catch {
    return undefined;
  }
}

function qualifiedTag(name: string): string {
  const reference = parseImageReference(name);
  if (reference.digest) throw new InvalidArgumentError(`image archive: ${name} is not a tag`);
  return formatReference(reference);
}
