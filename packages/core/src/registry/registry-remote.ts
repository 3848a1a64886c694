// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import type { Descriptor } from './descriptor.js';
import type { RateLimit } from './rate-limit.js';

/**
 * One repository on one registry, reached over the OCI distribution protocol with authentication already arranged.
 * Content read through it is verified against its digest before it is handed on.
 */
export interface RegistryRemote {
  /** `127.0.0.1:5000/fixtures/busybox`, for messages. */
  readonly name: string;
  /** Fetches a manifest or index by tag or digest; the bytes are exactly the registry's. */
  getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest>;
  /** Streams a blob. The stream errors if the bytes do not match `descriptor.digest` or `size`. */
  getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
  hasBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<boolean>;
  /**
   * Uploads a blob, first asking the registry to mount it from `options.mountFrom` (other repositories on the same
   * registry known to hold it); does not check whether the repository has it already ({@link hasBlob} does).
   * `content` is called for the bytes, which are verified against the descriptor as they are sent; it may be called
   * again, to send the bytes anew after a challenge or to resume an upload from where the registry has it.
   */
  pushBlob(descriptor: Descriptor, content: () => Readable, options?: BlobPushOptions): Promise<BlobPushResult>;
  putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string>;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
  /** The pull quota the registry reported with the manifest (Docker Hub does), if any. */
  rateLimit?: RateLimit;
}

export interface BlobPushOptions {
  signal?: AbortSignal;
  /** Repository paths on the same registry (`fixtures/busybox`) to try a cross-repository mount from, in order. */
  mountFrom?: readonly string[];
  /** Bytes of the blob sent so far. */
  onProgress?: (sent: number) => void;
}

export interface BlobPushResult {
  /** The repository the registry mounted the blob from, when it did; otherwise the bytes were uploaded. */
  mountedFrom?: string;
}
