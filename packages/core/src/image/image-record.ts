// SPDX-License-Identifier: Apache-2.0

/** An image the engine has, as persisted in the image store. */
export interface ImageRecord {
  /** Digest of the image config: the image id. */
  id: string;
  /** Digest of the (platform) manifest it was pulled with. */
  manifestDigest: string;
  /** `docker.io/library/busybox:latest`, fully qualified. */
  repoTags: string[];
  /** `docker.io/library/busybox@sha256:…` (the digest of what was pulled: index or manifest). */
  repoDigests: string[];
  /** Layer digests as stored (compressed or not), lowest first. */
  layers: { digest: string; mediaType: string; size: number }[];
  /** Chain ids of the unpacked layers, lowest first. */
  chainIds: string[];
  /** Sum of uncompressed layer sizes. */
  size: number;
  /** When the engine recorded it (RFC 3339). */
  recordedAt: string;
}
