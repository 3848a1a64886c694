// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import { ContentStore } from '../content/content-store.js';
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import type { Descriptor } from '../registry/descriptor.js';
import { familiarName, formatReference, parseImageReference, repositoryName } from '../registry/image-reference-parser.js';
import type { ImageReference } from '../registry/image-reference.js';
import { parseManifest } from '../registry/manifest.js';
import { MediaType } from '../registry/media-types.js';
import type { RegistryAuth } from '../registry/registry.js';
import type { RegistryRemote } from '../registry/registry-remote.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';
import { formatProgressBar, shortLayerId, throttledProgress } from './progress-bar.js';
import { SharedTransfers, type ProgressListener } from './shared-transfers.js';

export interface PushOptions {
  /** The tag to push; without one, every local tag of the repository (as the Docker API does). */
  tag?: string;
  auth?: RegistryAuth;
}

/** What one pushed tag became: the `aux` of Docker's push stream (moby `PushResult`). */
export interface PushResult {
  Tag: string;
  Digest: string;
  Size: number;
}

// Docker's defaults: `max-concurrent-uploads` 5, and at most 3 repositories tried for a cross-repository mount.
const PARALLEL_UPLOADS = 5;
const MAX_MOUNT_ATTEMPTS = 3;

/**
 * `docker push`: sends an image's layers, config and manifest, exactly as they were pulled, to the repository its
 * tag names. A layer the repository has is skipped, one another repository of the same registry holds (known from
 * where images were pulled) is mounted from there, the rest are uploaded, several at once. Pushing the original
 * manifest keeps the image's digest, which is recorded as a repo digest of the image.
 */
@injectable()
export class ImagePusher {
  /** Uploads in progress, by repository and blob: two pushes needing one share it. */
  private readonly transfers = new SharedTransfers();

  constructor(
    @inject(RegistryResolver) private readonly registries: RegistryResolver,
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(ImageStore) private readonly images: ImageStore,
  ) {}

  async push(name: string, options: PushOptions = {}, onProgress: ProgressListener = () => {}, signal?: AbortSignal): Promise<PushResult[]> {
    const ref = parseImageReference(name, { defaultTag: false });
    if (ref.digest) {
      throw new InvalidArgumentError(`cannot push a digest reference: ${name}`, { hint: 'tag the image, then push the tag' });
    }
    onProgress({ status: `The push refers to repository [${repositoryName(ref)}]` });
    const targets = await this.targets({ domain: ref.domain, path: ref.path }, options.tag || ref.tag);
    const remote = await this.registries.resolve(ref.domain).remote(ref, { auth: options.auth, push: true });
    const results: PushResult[] = [];
    for (const { tag, image } of targets) results.push(await this.pushTag(remote, { ...ref, tag }, image, onProgress, signal));
    return results;
  }

  /** The images to push: the one `tag` names, or every tagged image of the repository. */
  private async targets(repository: ImageReference, tag: string | undefined): Promise<{ tag: string; image: ImageRecord }[]> {
    const missing = () =>
      new NotFoundError(`an image does not exist locally with the tag: ${familiarName({ ...repository, tag })}`, {
        hint: 'tag an image with this name first',
      });
    if (tag) {
      const image = await this.images.resolve(formatReference({ ...repository, tag })).catch((error: unknown) => {
        throw error instanceof NotFoundError ? missing() : error;
      });
      return [{ tag, image }];
    }
    const prefix = `${repositoryName(repository)}:`;
    const targets = (await this.images.list())
      .flatMap((image) => image.repoTags.filter((name) => name.startsWith(prefix)).map((name) => ({ tag: name.slice(prefix.length), image })))
      .sort((a, b) => a.tag.localeCompare(b.tag));
    if (targets.length === 0) throw missing();
    return targets;
  }

  private async pushTag(remote: RegistryRemote, ref: ImageReference, image: ImageRecord, onProgress: ProgressListener, signal?: AbortSignal): Promise<PushResult> {
    const tag = ref.tag as string;
    const what = familiarName(ref);
    await this.requireContent(what, [image.manifestDigest]);
    const bytes = await this.content.read(image.manifestDigest);
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    const parsed = parseManifest(bytes, declared ?? MediaType.OciManifest, what);
    if (parsed.kind !== 'manifest') throw new InvalidArgumentError(`${what}: the stored manifest ${image.manifestDigest} is an index`);
    const { manifest } = parsed;
    await this.requireContent(what, [manifest.config, ...manifest.layers].map((blob) => blob.digest));

    const diffIds = (await this.images.config(image)).rootfs.diff_ids;
    const sources = await this.mountSources(ref);
    await this.pushLayers(remote, manifest.layers, diffIds, sources, onProgress, signal);
    if (!(await remote.hasBlob(manifest.config, signal))) {
      const mountFrom = sources.get(manifest.config.digest);
      await remote.pushBlob(manifest.config, () => this.content.createReadStream(manifest.config.digest), { signal, mountFrom });
    }
    const digest = await remote.putManifest(tag, declared ?? MediaType.OciManifest, bytes, signal);
    // Only the new name is passed: the store keeps the image's other names as they are now.
    await this.images.add({ ...image, repoTags: [], repoDigests: [`${repositoryName(ref)}@${digest}`] });

    onProgress({ status: `${tag}: digest: ${digest} size: ${bytes.length}` });
    const result: PushResult = { Tag: tag, Digest: digest, Size: bytes.length };
    onProgress({ progressDetail: {}, aux: result });
    return result;
  }

  /** Pushes the layers, top first as Docker lists them; the first failure stops the others. */
  private async pushLayers(
    remote: RegistryRemote,
    layers: Descriptor[],
    diffIds: string[],
    sources: Map<string, string[]>,
    onProgress: ProgressListener,
    signal?: AbortSignal,
  ): Promise<void> {
    // Docker names a layer being pushed by its diff id.
    const ids = layers.map((layer, i) => shortLayerId(diffIds[i] ?? layer.digest));
    const order = layers.map((_, i) => i).reverse();
    for (const i of order) onProgress({ status: 'Preparing', id: ids[i], progressDetail: {} });
    order.slice(PARALLEL_UPLOADS).forEach((i) => onProgress({ status: 'Waiting', id: ids[i], progressDetail: {} }));

    const limit = new ConcurrencyLimit(PARALLEL_UPLOADS);
    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const results = await Promise.allSettled(
        order.map((i) => {
          const layer = layers[i];
          const upload = (progress: ProgressListener, transferSignal: AbortSignal) =>
            limit.run(() => this.pushLayer(remote, layer, ids[i], sources.get(layer.digest) ?? [], progress, transferSignal));
          const done = this.transfers.run(`${remote.name}:${layer.digest}`, upload, { onProgress, signal: abort.signal });
          done.catch((error) => abort.abort(error));
          return done;
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw signal?.aborted ? signal.reason : failed.reason;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async pushLayer(
    remote: RegistryRemote,
    layer: Descriptor,
    id: string,
    mountFrom: string[],
    progress: ProgressListener,
    signal: AbortSignal,
  ): Promise<void> {
    if (await remote.hasBlob(layer, signal)) {
      progress({ status: 'Layer already exists', id, progressDetail: {} });
      return;
    }
    const report = throttledProgress(layer.size, (current) =>
      progress({ status: 'Pushing', id, progress: formatProgressBar(current, layer.size), progressDetail: { current, total: layer.size } }),
    );
    const { mountedFrom } = await remote.pushBlob(layer, () => this.content.createReadStream(layer.digest), { signal, mountFrom, onProgress: report });
    progress({ status: mountedFrom ? `Mounted from ${mountedFrom}` : 'Pushed', id, progressDetail: {} });
  }

  /**
   * Other repositories on the target's registry that hold each blob (layer or config): those the images holding it
   * were pulled from or pushed to, as their repo digests record. Docker keeps the same knowledge in its v2 metadata.
   */
  private async mountSources(target: ImageReference): Promise<Map<string, string[]>> {
    const sources = new Map<string, string[]>();
    for (const image of await this.images.list()) {
      const repositories = image.repoDigests
        .map((name) => parseImageReference(name))
        .filter((ref) => ref.domain === target.domain && ref.path !== target.path)
        .map((ref) => ref.path);
      for (const digest of [image.id, ...image.layers.map((layer) => layer.digest)]) {
        const known = sources.get(digest) ?? [];
        for (const repository of repositories) {
          if (known.length < MAX_MOUNT_ATTEMPTS && !known.includes(repository)) known.push(repository);
        }
        sources.set(digest, known);
      }
    }
    return sources;
  }

  /** Fails before anything is sent when the content store lacks part of the image. */
  private async requireContent(what: string, digests: string[]): Promise<void> {
    for (const digest of digests) {
      if (await this.content.has(digest)) continue;
      throw new NotFoundError(`${what}: content ${digest} is missing from the content store`, {
        hint: 'pull the image again to restore its content, then push',
      });
    }
  }
}
