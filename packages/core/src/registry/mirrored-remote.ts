// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import type { Descriptor } from './descriptor.js';
import type { BlobPushOptions, BlobPushResult, FetchedManifest, RegistryRemote } from './registry-remote.js';

/**
 * A repository reached through pull-through mirrors first and the upstream registry last, as Docker's
 * `registry-mirrors`: the first endpoint that serves the manifest also serves the blobs of that pull, and any
 * failure of a mirror falls back to the next. Pushes always go upstream.
 */
export class MirroredRemote implements RegistryRemote {
  readonly name: string;
  private chosen?: RegistryRemote;

  constructor(
    private readonly mirrors: readonly RegistryRemote[],
    private readonly upstream: RegistryRemote,
  ) {
    this.name = upstream.name;
  }

  async getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    if (this.chosen) return this.chosen.getManifest(reference, signal);
    for (const mirror of this.mirrors) {
      try {
        const manifest = await mirror.getManifest(reference, signal);
        this.chosen = mirror;
        return manifest;
      } catch {
        signal?.throwIfAborted();
        // A mirror that is down or lacks the image is skipped; the upstream's answer is the one that counts.
      }
    }
    const manifest = await this.upstream.getManifest(reference, signal);
    this.chosen = this.upstream;
    return manifest;
  }

  getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    return (this.chosen ?? this.upstream).getBlob(descriptor, signal);
  }

  hasBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<boolean> {
    return (this.chosen ?? this.upstream).hasBlob(descriptor, signal);
  }

  pushBlob(descriptor: Descriptor, content: () => Readable, options?: BlobPushOptions): Promise<BlobPushResult> {
    return this.upstream.pushBlob(descriptor, content, options);
  }

  putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string> {
    return this.upstream.putManifest(reference, mediaType, bytes, signal);
  }
}
