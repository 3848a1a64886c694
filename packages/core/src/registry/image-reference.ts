// SPDX-License-Identifier: Apache-2.0

/**
 * A parsed, normalised image reference: `busybox` is `docker.io/library/busybox:latest`, as in
 * distribution/reference.
 */
export interface ImageReference {
  /** Registry host as written, canonicalised (`index.docker.io` → `docker.io`): `docker.io`, `127.0.0.1:5000`. */
  domain: string;
  /** Repository path within the registry: `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}
