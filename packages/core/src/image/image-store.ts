// SPDX-License-Identifier: Apache-2.0
import type { ImageConfig } from './image-config.js';
import type { ImageRecord } from './image-record.js';

/** The images the engine has, with their names. Content lives in the content store; this holds the index. */
export interface ImageStore {
  /** Finds an image by name (`busybox`, `busybox:1`, `x@sha256:…`), full or short id; throws not-found. */
  resolve(nameOrId: string): Promise<ImageRecord>;
  get(id: string): Promise<ImageRecord | undefined>;
  list(): Promise<ImageRecord[]>;
  config(image: ImageRecord): Promise<ImageConfig>;
  /** Records an image and points `repoTag` (fully qualified) at it, taking the tag from any other image. */
  add(image: ImageRecord, repoTag?: string): Promise<void>;
  /** Removes a tag; returns the image it pointed to. */
  untag(repoTag: string): Promise<ImageRecord | undefined>;
  /** Forgets an image entirely (its blobs and layers are released by the caller). */
  remove(id: string): Promise<void>;
}

/** DI token for {@link ImageStore}. */
export const ImageStore = Symbol.for('tsc-engine:ImageStore');
