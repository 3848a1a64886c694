// SPDX-License-Identifier: Apache-2.0
import { pipeline as streamPipeline, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inject, injectable } from 'inversify';
import * as tar from 'tar-stream';
import { ContentStore } from '../content/content-store.js';
import { digestHex, sha256Digest } from '../content/digest.js';
import { FailedPreconditionError, InvalidArgumentError } from '../errors/engine-error.js';
import type { Descriptor } from '../registry/descriptor.js';
import { familiarName, formatReference, parseImageReference, repositoryName } from '../registry/image-reference-parser.js';
import { layerCompression, MediaType } from '../registry/media-types.js';
import { layerDecompressor } from './layer-decompressor.js';
import { ImageEventLogger } from './image-event-logger.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';

/** An entry of an archive's `manifest.json` (moby `tarexport.manifestItem`). */
export interface ArchiveManifestItem {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

interface Selected {
  image: ImageRecord;
  /** Fully qualified tags to record in the archive. */
  tags: Set<string>;
}

type StoredLayer = ImageRecord['layers'][number];

const blobPath = (digest: string) => `blobs/sha256/${digestHex(digest)}`;

/**
 * `docker save`: writes images as Docker 25+ does, an archive that is at once an OCI image layout (`oci-layout`,
 * `index.json`, `blobs/sha256/…`) and Docker's legacy format (`manifest.json`, `repositories`), its layers the
 * uncompressed tars named by diff id. Layers pulled compressed are decompressed from the content store on the way.
 */
@injectable()
export class ImageSaver {
  constructor(
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(ImageEventLogger) private readonly events: ImageEventLogger,
  ) {}

  /** Resolves every name first, so an unknown one fails before a byte is sent; then streams the archive. */
  async save(names: string[], signal?: AbortSignal): Promise<Readable> {
    if (names.length === 0) throw new InvalidArgumentError('no image to save: name at least one');
    const selected = new Map<string, Selected>();
    for (const name of names) {
      for (const { image, tag } of await this.select(name)) {
        const entry = selected.get(image.id) ?? { image, tags: new Set<string>() };
        if (tag) entry.tags.add(tag);
        selected.set(image.id, entry);
      }
    }
    // Found before the first byte goes out, so a missing blob is an error status rather than a cut-off archive.
    const everyBlob = await this.blobsByDiffId();
    const sources = new Map<string, StoredLayer>();
    for (const { image } of selected.values()) {
      const diffIds = (await this.images.config(image)).rootfs?.diff_ids ?? [];
      for (const [i, layer] of image.layers.entries()) {
        if (!sources.has(diffIds[i])) sources.set(diffIds[i], await this.storedBlob(layer, diffIds[i], everyBlob));
      }
    }
    for (const id of selected.keys()) await this.events.log('save', id, id);
    const pack = tar.pack();
    this.write(pack, [...selected.values()], sources, signal).then(
      () => pack.finalize(),
      (error: Error) => pack.destroy(error),
    );
    // tar-stream's pack is a streamx stream, which Node's pipeline and pipe take as a Readable.
    return pack as unknown as Readable;
  }

  /** What a name saves: a tag saves that tag, a repository alone every tag of it, an id or digest the image untagged. */
  private async select(name: string): Promise<{ image: ImageRecord; tag?: string }[]> {
    let reference;
    try {
      reference = parseImageReference(name, { defaultTag: false });
    } catch {
      return [{ image: await this.images.resolve(name) }];
    }
    if (!reference.tag && !reference.digest) {
      const repository = `${repositoryName(reference)}:`;
      const tagged = (await this.images.list()).flatMap((image) =>
        image.repoTags.filter((tag) => tag.startsWith(repository)).map((tag) => ({ image, tag })),
      );
      if (tagged.length > 0) return tagged;
    }
    const image = await this.images.resolve(name);
    const tag = reference.digest ? undefined : formatReference({ ...reference, tag: reference.tag ?? 'latest' });
    return [{ image, tag: tag && image.repoTags.includes(tag) ? tag : undefined }];
  }

  /** Writes the archive; `sources` holds the blob each layer's tar is read from, by diff id. */
  private async write(pack: tar.Pack, selected: Selected[], sources: Map<string, StoredLayer>, signal?: AbortSignal): Promise<void> {
    const written = new Set<string>();
    const tarSizes = new Map<string, number>();
    const items: ArchiveManifestItem[] = [];
    const index: Descriptor[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    for (const { image, tags } of selected) {
      const config = await this.content.read(image.id);
      const diffIds = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
      const layers: Descriptor[] = [];
      for (const diffId of diffIds) {
        signal?.throwIfAborted();
        if (!tarSizes.has(diffId)) tarSizes.set(diffId, await this.writeLayer(pack, sources.get(diffId) as StoredLayer, diffId));
        layers.push({ mediaType: MediaType.OciLayer, digest: diffId, size: tarSizes.get(diffId) as number });
      }
      await addFile(pack, blobPath(image.id), config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.OciManifest,
          config: { mediaType: MediaType.OciConfig, digest: image.id, size: config.length },
          layers,
        }),
      );
      const manifestDigest = sha256Digest(manifest);
      if (!written.has(manifestDigest)) await addFile(pack, blobPath(manifestDigest), manifest);
      written.add(manifestDigest);

      const sortedTags = [...tags].sort();
      const descriptor = { mediaType: MediaType.OciManifest, digest: manifestDigest, size: manifest.length };
      if (sortedTags.length === 0) index.push(descriptor);
      for (const tag of sortedTags) {
        const reference = parseImageReference(tag);
        index.push({ ...descriptor, annotations: { 'io.containerd.image.name': tag, 'org.opencontainers.image.ref.name': reference.tag ?? 'latest' } });
        const familiar = familiarName({ ...reference, tag: undefined });
        // The legacy `repositories` file names the top layer by a v1 id; Docker writes the top diff id's hex.
        (repositories[familiar] ??= {})[reference.tag ?? 'latest'] = digestHex(diffIds[diffIds.length - 1] ?? image.id);
      }
      items.push({
        Config: blobPath(image.id),
        RepoTags: sortedTags.length ? sortedTags.map((tag) => familiarName(parseImageReference(tag))) : null,
        Layers: diffIds.map(blobPath),
      });
    }
    await addFile(pack, 'index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: index })));
    await addFile(pack, 'manifest.json', Buffer.from(JSON.stringify(items)));
    await addFile(pack, 'oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    if (Object.keys(repositories).length > 0) await addFile(pack, 'repositories', Buffer.from(JSON.stringify(repositories)));
  }

  /**
   * Every stored blob of every image by the diff id of its tar. A pull skips layers already unpacked, so an image
   * may share a layer whose blob only another image brought, compressed or not.
   */
  private async blobsByDiffId(): Promise<Map<string, StoredLayer[]>> {
    const blobs = new Map<string, StoredLayer[]>();
    for (const image of await this.images.list()) {
      const { diff_ids: diffIds = [] } = (await this.images.config(image)).rootfs ?? {};
      for (const [i, layer] of image.layers.entries()) {
        const list = blobs.get(diffIds[i]) ?? [];
        list.push(layer);
        blobs.set(diffIds[i], list);
      }
    }
    return blobs;
  }

  private async storedBlob(layer: StoredLayer, diffId: string, blobs: Map<string, StoredLayer[]>): Promise<StoredLayer> {
    const candidates = [layer, { digest: diffId, mediaType: MediaType.OciLayer, size: 0 }, ...(blobs.get(diffId) ?? [])];
    for (const candidate of candidates) {
      const size = await this.content.size(candidate.digest);
      if (size !== undefined) return { ...candidate, size };
    }
    throw new FailedPreconditionError(`layer ${diffId}: no blob of it is left in the content store`, {
      hint: 'remove the image and pull it again',
    });
  }

  /** Streams one layer's tar into the archive; answers its size. */
  private async writeLayer(pack: tar.Pack, layer: StoredLayer, diffId: string): Promise<number> {
    const size = await this.tarSize(layer);
    const entry = pack.entry({ name: blobPath(diffId), size, mode: 0o444, mtime: new Date(0) });
    await pipeline(this.tarStream(layer), entry);
    return size;
  }

  private tarStream(layer: StoredLayer): Readable {
    const compression = layerCompression(layer.mediaType) ?? 'none';
    return streamPipeline(this.content.createReadStream(layer.digest), layerDecompressor(compression, `layer ${layer.digest}`), () => {});
  }

  /** A tar entry's header needs its size up front: a compressed layer is decompressed once just to count it. */
  private async tarSize(layer: StoredLayer): Promise<number> {
    if ((layerCompression(layer.mediaType) ?? 'none') === 'none') return layer.size;
    let size = 0;
    await pipeline(
      this.tarStream(layer),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          callback();
        },
      }),
    );
    return size;
  }
}

function addFile(pack: tar.Pack, name: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: bytes.length, mode: 0o444, mtime: new Date(0) }, bytes, (error) => (error ? reject(error) : resolve()));
  });
}
