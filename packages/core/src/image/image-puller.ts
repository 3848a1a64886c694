// SPDX-License-Identifier: Apache-2.0
import { pipeline, Transform } from 'node:stream';
import { inject, injectable, optional } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import { ContentStore } from '../content/content-store.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { Descriptor, Platform } from '../registry/descriptor.js';
import { familiarName, formatReference, parseImageReference, repositoryName } from '../registry/image-reference-parser.js';
import type { ImageReference } from '../registry/image-reference.js';
import { parseManifest, type ImageManifest } from '../registry/manifest.js';
import { layerCompression, type LayerCompression } from '../registry/media-types.js';
import { hostPlatform, parsePlatform, selectPlatformManifest } from '../registry/platform-matcher.js';
import { describeRateLimit, type RateLimit } from '../registry/rate-limit.js';
import type { RegistryAuth } from '../registry/registry.js';
import { RegistryRateLimits } from '../registry/registry-rate-limits.js';
import type { FetchedManifest, RegistryRemote } from '../registry/registry-remote.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { chainIds as computeChainIds } from './chain-id.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';
import { ImageStore } from './image-store.js';
import { assertDecompressible } from './layer-decompressor.js';
import { ingestLayer } from './layer-ingest.js';
import { formatProgressBar, shortLayerId, throttledProgress } from './progress-bar.js';
import { SharedTransfers, type ProgressListener } from './shared-transfers.js';

export interface PullOptions {
  auth?: RegistryAuth;
  /** `linux/arm64/v8` or a {@link Platform}; defaults to this host's. */
  platform?: Platform | string;
}

export type { ProgressListener } from './shared-transfers.js';

/**
 * Layers pulled at once unless daemon.json's `max-concurrent-downloads` says otherwise. Docker's default is 3, but
 * Docker only downloads in parallel and then extracts one layer after another; here each download streams straight
 * into its own unpacking, so the limit also caps how many layers unpack at once, and a 4-layer image would leave
 * its last (often largest) layer to unpack alone at the end. 6 is podman's default (containers/image), and covers
 * most images in one round.
 */
const DEFAULT_CONCURRENT_LAYERS = 6;
const CONFIG_LIMIT = 8 << 20;

interface PullTarget {
  /** What the tag (or digest) pointed at: index or manifest. */
  top: FetchedManifest;
  /** The platform's manifest (the same as `top` for a single-platform image). */
  manifest: ImageManifest;
  manifestDigest: string;
  /** The pull quota the registry reported with the last manifest, if it did. */
  rateLimit?: RateLimit;
}

/**
 * Pulls images: resolves the reference through the registry plugin serving its host, picks the platform's
 * manifest, and for each layer not already unpacked streams the blob once, hashing it into the content store and
 * decompressing it into the snapshotter at the same time, several layers in parallel. The image is recorded only
 * when every layer is unpacked and its diff id checked, so a failed pull leaves no image behind.
 */
@injectable()
export class ImagePuller {
  /** Layers being unpacked and blobs being fetched by any pull in this process: pulls needing one share it. */
  private readonly transfers = new SharedTransfers();
  private readonly concurrentLayers: number;

  constructor(
    @inject(RegistryResolver) private readonly registries: RegistryResolver,
    @inject(ContentStore) private readonly content: ContentStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(RegistryRateLimits) @optional() private readonly rateLimits: RegistryRateLimits = new RegistryRateLimits(),
    @inject(EngineConfig) @optional() config?: EngineConfig,
  ) {
    this.concurrentLayers = config?.maxConcurrentDownloads ?? DEFAULT_CONCURRENT_LAYERS;
  }

  async pull(reference: string, options: PullOptions = {}, onProgress: ProgressListener = () => {}, signal?: AbortSignal): Promise<ImageRecord> {
    const ref = parseImageReference(reference);
    const platform = typeof options.platform === 'string' ? parsePlatform(options.platform) : options.platform ?? hostPlatform();
    const remote = await this.registries.resolve(ref.domain).remote(ref, { auth: options.auth });
    onProgress({ status: `Pulling from ${ref.path}`, id: ref.digest ?? ref.tag });

    const target = await this.resolveTarget(remote, ref, platform, signal);
    const { manifest } = target;
    if (target.rateLimit) {
      this.rateLimits.record(ref.domain, target.rateLimit);
      onProgress({ status: `Rate limit: ${describeRateLimit(target.rateLimit)}` });
    }
    const config = await this.fetchConfig(remote, manifest.config, signal);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length) {
      throw new InvalidArgumentError(
        `${remote.name}@${target.manifestDigest}: manifest has ${manifest.layers.length} layers but its config lists ${diffIds.length} diff ids`,
      );
    }
    const chainIds = computeChainIds(diffIds);

    const existing = await this.images.get(manifest.config.digest);
    const complete = existing !== undefined && (await Promise.all(chainIds.map((id) => this.snapshotter.hasLayer(id)))).every(Boolean);
    const downloaded = complete ? false : await this.unpackLayers(remote, manifest.layers, diffIds, chainIds, onProgress, signal);

    const repoTag = ref.tag && !ref.digest ? formatReference(ref) : undefined;
    const tagMoved = repoTag !== undefined && !existing?.repoTags.includes(repoTag);
    const record: ImageRecord = {
      id: manifest.config.digest,
      manifestDigest: target.manifestDigest,
      repoTags: repoTag ? [repoTag] : [],
      repoDigests: [`${repositoryName(ref)}@${target.top.digest}`],
      layers: manifest.layers.map(({ digest, mediaType, size }) => ({ digest, mediaType, size })),
      chainIds,
      size: complete && existing ? existing.size : await this.layersSize(chainIds),
      recordedAt: new Date().toISOString(),
    };
    signal?.throwIfAborted();
    await this.images.add(record, repoTag);

    onProgress({ status: `Digest: ${target.top.digest}` });
    onProgress({
      status: downloaded || tagMoved ? `Status: Downloaded newer image for ${familiarName(ref)}` : `Status: Image is up to date for ${familiarName(ref)}`,
    });
    return (await this.images.get(record.id)) ?? record;
  }

  /** Fetches what the reference names and, for an index, the manifest of `platform`; keeps both in the content store. */
  private async resolveTarget(remote: RegistryRemote, ref: ImageReference, platform: Platform, signal?: AbortSignal): Promise<PullTarget> {
    const what = `${remote.name}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`;
    const top = await remote.getManifest(ref.digest ?? (ref.tag as string), signal);
    await this.content.put(top.bytes);
    const parsed = parseManifest(top.bytes, top.mediaType, what);
    if (parsed.kind === 'manifest') return { top, manifest: parsed.manifest, manifestDigest: top.digest, rateLimit: top.rateLimit };

    const chosen = selectPlatformManifest(parsed.index.manifests, platform, what);
    const platformManifest = await remote.getManifest(chosen.digest, signal);
    const inner = parseManifest(platformManifest.bytes, platformManifest.mediaType, `${remote.name}@${chosen.digest}`);
    if (inner.kind !== 'manifest') {
      throw new InvalidArgumentError(`${remote.name}@${chosen.digest}: nested index is not supported`);
    }
    await this.content.put(platformManifest.bytes);
    return { top, manifest: inner.manifest, manifestDigest: platformManifest.digest, rateLimit: platformManifest.rateLimit ?? top.rateLimit };
  }

  private async fetchConfig(remote: RegistryRemote, descriptor: Descriptor, signal?: AbortSignal): Promise<ImageConfig> {
    if (descriptor.size > CONFIG_LIMIT) {
      throw new InvalidArgumentError(`${remote.name}: image config ${descriptor.digest} is too large (${descriptor.size} bytes)`);
    }
    const fetch = async (_progress: ProgressListener, transferSignal: AbortSignal) => {
      if (await this.content.has(descriptor.digest)) return;
      await this.content.write(descriptor.digest, await remote.getBlob(descriptor, transferSignal), descriptor.size);
    };
    await this.transfers.run(`blob:${descriptor.digest}`, fetch, { onProgress: () => {}, signal });
    try {
      return JSON.parse((await this.content.read(descriptor.digest)).toString('utf8')) as ImageConfig;
    } catch (cause) {
      throw new InvalidArgumentError(`${remote.name}: image config ${descriptor.digest} is not valid JSON`, { cause });
    }
  }

  /** Unpacks the layers not yet unpacked; resolves whether any was downloaded. The first failure stops the rest. */
  private async unpackLayers(
    remote: RegistryRemote,
    layers: Descriptor[],
    diffIds: string[],
    chainIds: string[],
    onProgress: ProgressListener,
    signal?: AbortSignal,
  ): Promise<boolean> {
    for (const layer of layers) this.compressionOf(remote, layer); // fail on an unsupported layer before any download
    const present = await Promise.all(chainIds.map((id) => this.snapshotter.hasLayer(id)));
    this.snapshotter.prepareToApply?.(Math.min(present.filter((p) => !p).length, this.concurrentLayers));
    layers.forEach((layer, i) =>
      onProgress({ status: present[i] ? 'Already exists' : 'Pulling fs layer', id: shortLayerId(layer.digest), progressDetail: {} }),
    );

    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const limit = new ConcurrencyLimit(this.concurrentLayers);
    const ready: Promise<void>[] = [];
    try {
      const results = await Promise.allSettled(
        layers.map((layer, i) => {
          const parentsReady = Promise.all(ready.slice(0, i)).then(() => undefined);
          // Marked handled: a snapshotter awaits it only for hardlinks, and a failed parent fails the pull anyway.
          parentsReady.catch(() => undefined);
          const unpack = (progress: ProgressListener, transferSignal: AbortSignal) =>
            limit.run(async () => {
              // Another pull may have finished this layer since it was looked for.
              if (await this.snapshotter.hasLayer(chainIds[i])) return;
              await this.unpackLayer(remote, layer, diffIds[i], chainIds[i], chainIds.slice(0, i), parentsReady, progress, transferSignal);
            });
          const own = present[i]
            ? Promise.resolve()
            : this.transfers.run(`layer:${chainIds[i]}`, unpack, { onProgress, signal: abort.signal });
          own.catch((error) => abort.abort(error));
          ready.push(own);
          return own;
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw signal?.aborted ? signal.reason : failed.reason;
      return present.some((p) => !p);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Streams the layer's blob (from the content store when an earlier pull left it there) into {@link ingestLayer}. */
  private async unpackLayer(
    remote: RegistryRemote,
    layer: Descriptor,
    diffId: string,
    chainId: string,
    parents: string[],
    parentsReady: Promise<void>,
    onProgress: ProgressListener,
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    const id = shortLayerId(layer.digest);
    const stored = await this.content.has(layer.digest);
    const source = stored ? this.content.createReadStream(layer.digest) : await remote.getBlob(layer, signal);
    // pipeline, so that stopping the counted stream also lets go of the download.
    const counted = pipeline(source, progressCounter(layer.size, (current) =>
      onProgress({ status: 'Downloading', id, progress: formatProgressBar(current, layer.size), progressDetail: { current, total: layer.size } }),
    ), () => {});
    counted.once('end', () => {
      onProgress({ status: 'Download complete', id });
      onProgress({ status: 'Extracting', id, progress: formatProgressBar(layer.size, layer.size), progressDetail: { current: layer.size, total: layer.size } });
    });
    await ingestLayer(this.content, this.snapshotter, {
      what: remote.name,
      blob: counted,
      digest: layer.digest,
      size: layer.size,
      verified: !stored,
      compression: this.compressionOf(remote, layer),
      diffId,
      chainId,
      parents,
      parentsReady,
      signal,
    });
    onProgress({ status: 'Pull complete', id, progressDetail: {} });
  }

  private compressionOf(remote: RegistryRemote, layer: Descriptor): LayerCompression {
    const compression = layerCompression(layer.mediaType);
    if (!compression) throw new InvalidArgumentError(`${remote.name}: layer ${layer.digest} has unsupported media type ${layer.mediaType}`);
    assertDecompressible(compression, `${remote.name}: layer ${layer.digest}`);
    return compression;
  }

  private async layersSize(chainIds: string[]): Promise<number> {
    const sizes = await Promise.all(chainIds.map((id) => this.snapshotter.layerSize(id)));
    return sizes.reduce((sum, size) => sum + size, 0);
  }
}

/** Passes bytes through and reports the running count (throttled). */
function progressCounter(total: number, report: (current: number) => void): Transform {
  let current = 0;
  const throttled = throttledProgress(total, report);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      current += chunk.length;
      throttled(current);
      callback(null, chunk);
    },
  });
}
