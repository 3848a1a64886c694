// SPDX-License-Identifier: Apache-2.0
import { parseImageReference, repositoryName } from '../registry/image-reference-parser.js';

/** An image reference split the way `POST /images/create` wants it: `fromImage` and `tag` (a tag or a digest). */
export interface PullReference {
  /** Fully qualified repository: `docker.io/library/busybox`, `127.0.0.1:5000/x`. */
  fromImage: string;
  /** The tag (`latest` when none was written) or the digest (`sha256:…`). */
  tag: string;
  /** Whether the reference named neither tag nor digest (the CLI says `Using default tag: latest`). */
  defaultTag: boolean;
}

/** Splits and qualifies a reference as the Docker client does before pulling, with the daemon's own parser. */
export function toPullReference(image: string): PullReference {
  const reference = parseImageReference(image, { defaultTag: false });
  const tag = reference.digest ?? reference.tag;
  return { fromImage: repositoryName(reference), tag: tag ?? 'latest', defaultTag: tag === undefined };
}
