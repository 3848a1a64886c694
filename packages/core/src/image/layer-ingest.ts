// SPDX-License-Identifier: Apache-2.0
import { PassThrough, type Readable } from 'node:stream';
import type { ContentStore } from '../content/content-store.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { LayerCompression } from '../registry/media-types.js';
import type { Snapshotter } from '../snapshot/snapshotter.js';

/** One layer to take in: the blob as it is to be stored, and how it becomes the layer's tar. */
export interface LayerIngest {
  /** Names the layer's source in errors: a repository, an archive. */
  what: string;
  /** The bytes to store, under {@link digest}. */
  blob: Readable;
  digest: string;
  size?: number;
  /** The blob fails at its end unless its bytes are {@link digest} (a registry download): not hashed again. */
  verified?: boolean;
  /** How the stored bytes are compressed: the snapshotter decompresses them into the layer's tar. */
  compression: LayerCompression;
  /** The diff id the image config gives the layer: the tar must hash to it. */
  diffId: string;
  chainId: string;
  /** Chain ids of the layers below, lowest first. */
  parents: string[];
  parentsReady?: Promise<void>;
  signal?: AbortSignal;
}

const STORE_BUFFER = 4 << 20;

/**
 * One pass over a layer blob: the bytes go to the content store (which verifies digest and size) and into the
 * snapshotter, which decompresses and unpacks them. The layer counts only if both succeed and the tar hashes to the config's diff id;
 * otherwise it is removed again. Shared by pull and load, which differ only in where the bytes come from.
 */
export async function ingestLayer(content: ContentStore, snapshotter: Snapshotter, layer: LayerIngest): Promise<void> {
  const { blob } = layer;
  // The tee pauses the blob whenever either side is full. The store's file writes share libuv's pool with the
  // inflating of every layer being pulled, so with the default 16 KiB the download, and with it the unpacking,
  // stalled on most writes; a few MiB let the store fall behind for a moment instead (a 4-layer 140 MB pull took
  // 10–25% less time).
  const toStore = new PassThrough({ highWaterMark: STORE_BUFFER });
  const toTar = new PassThrough();
  for (const destination of [toStore, toTar]) blob.pipe(destination);
  const fail = (error: Error) => {
    toStore.destroy(error);
    toTar.destroy(error);
  };
  blob.once('error', fail);

  // Wait for both sides whatever happens, so a failed layer is never removed while it is still being written.
  // Either side failing stops the other at once: a side that stops reading would otherwise stall the tee.
  const stopOnFailure = <T>(promise: Promise<T>) =>
    promise.catch((error: Error) => {
      blob.destroy();
      fail(error);
      throw error;
    });
  const [stored, unpacked] = await Promise.allSettled([
    stopOnFailure(content.write(layer.digest, toStore, layer.size, { verified: layer.verified })),
    stopOnFailure(snapshotter.applyLayer(layer.chainId, layer.parents, toTar, {
      parentsReady: layer.parentsReady,
      compression: layer.compression,
      signal: layer.signal,
    })),
  ]);
  let failure: unknown;
  if (stored.status === 'rejected') failure = stored.reason;
  else if (unpacked.status === 'rejected') failure = unpacked.reason;
  else if (unpacked.value.diffId !== layer.diffId) {
    failure = new InvalidArgumentError(
      `${layer.what}: layer ${layer.digest}: diff id mismatch: the config says ${layer.diffId}, the content is ${unpacked.value.diffId}`,
    );
  }
  if (failure === undefined) return;
  if (unpacked.status === 'fulfilled') await snapshotter.removeLayer(layer.chainId);
  throw failure;
}
