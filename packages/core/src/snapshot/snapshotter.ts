// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import type { LayerCompression } from '../registry/media-types.js';

/**
 * Unpacked image layers and the container root filesystems made from them.
 *
 * A *layer* is one image layer unpacked into its own directory, keyed by its chain id (the digest of its diff id
 * and those of every layer below it, as in the image spec), so layers shared by images are stored once. A
 * *rootfs* is a container's writable view: an overlay mount with the layers below and a private upper directory.
 */
export interface Snapshotter {
  hasLayer(chainId: string): Promise<boolean>;
  /**
   * Unpacks a layer tar (compressed as `options.compression` says) into the layer `chainId`, confined to that
   * layer's directory, and resolves with the tar's diff id (sha256 of the uncompressed stream). `parents` are the
   * chain ids of the layers below, lowest first; they are consulted (once unpacked) for hardlinks to lower files.
   */
  applyLayer(chainId: string, parents: string[], tar: Readable, options?: ApplyLayerOptions): Promise<AppliedLayer>;
  /**
   * A hint that `count` calls of {@link applyLayer} are about to start at once, so that a snapshotter that needs
   * something loaded for each (the overlay one: an unpacking thread) can get it ready while the caller is still busy.
   */
  prepareToApply?(count: number): void;
  removeLayer(chainId: string): Promise<void>;
  /**
   * Bytes of an unpacked layer's files, each hard-linked inode once (moby's `directory.Size`, what `docker images`
   * adds up); counted while unpacking, so asking costs no walk over the layer.
   */
  layerSize(chainId: string): Promise<number>;
  /** Directory of an unpacked layer, for tests and tools. */
  layerPath(chainId: string): string;
  /**
   * Mounts a writable root filesystem over `layers` (lowest first) at `target`; nothing to do if mounted there.
   * `transient`: the container is removed when it exits (`--rm`), so what it writes need not survive a host crash,
   * which lets a snapshotter skip syncing it.
   */
  mountRootfs(containerId: string, layers: string[], target: string, options?: { transient?: boolean }): Promise<void>;
  /** Unmounts and removes a container's root filesystem, including what it wrote. */
  removeRootfs(containerId: string, target: string): Promise<void>;
  /**
   * Directory of a container's writable layer (overlayfs' upper dir: whiteouts as 0/0 character devices, opaque
   * directories marked `trusted.overlay.opaque=y`), which `diff` and `commit` read.
   */
  upperDir(containerId: string): string;
  /** Bytes a container wrote to its root filesystem (its private upper directory); 0 when it has none. */
  writableSize(containerId: string): Promise<number>;
  /** Removes layers that were being unpacked when the engine stopped. */
  cleanup(): Promise<void>;
}

/** DI token for {@link Snapshotter}. */
export const Snapshotter = Symbol.for('tsc-engine:Snapshotter');

export interface ApplyLayerOptions {
  /** Resolves when the layer's parents are fully unpacked; hardlinks to lower layers wait for it. */
  parentsReady?: Promise<void>;
  /** How the stream is compressed; the snapshotter decompresses it. `none` by default. */
  compression?: LayerCompression;
  signal?: AbortSignal;
}

export interface AppliedLayer {
  diffId: string;
  /** Bytes of the uncompressed tar. */
  size: number;
}
