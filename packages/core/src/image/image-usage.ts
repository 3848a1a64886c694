// SPDX-License-Identifier: Apache-2.0

/** A container that uses an image, as far as image removal cares. */
export interface ImageUser {
  containerId: string;
  running: boolean;
}

/**
 * Tells image removal which containers use an image. Bound by whoever owns containers; when nothing is bound,
 * no image counts as in use.
 */
export interface ImageUsage {
  usersOf(imageId: string): Promise<ImageUser[]>;
}

/** DI token for {@link ImageUsage}. */
export const ImageUsage = Symbol.for('tsc-engine:ImageUsage');
