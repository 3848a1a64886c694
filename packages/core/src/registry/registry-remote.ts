// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import type { Descriptor } from './descriptor.js';

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
  pushBlob(descriptor: Descriptor, content: () => Readable, signal?: AbortSignal): Promise<void>;
  putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string>;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}
