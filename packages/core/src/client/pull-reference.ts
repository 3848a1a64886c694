// SPDX-License-Identifier: Apache-2.0

/** An image reference split the way `POST /images/create` wants it: `fromImage` and `tag` (a tag or a digest). */
export interface PullReference {
  /** Fully qualified repository: `docker.io/library/busybox`, `127.0.0.1:5000/x`. */
  fromImage: string;
  /** The tag (`latest` when none was written) or the digest (`sha256:…`). */
  tag: string;
  /** Whether the reference named neither tag nor digest (the CLI says `Using default tag: latest`). */
  defaultTag: boolean;
}

/**
 * Splits and qualifies a reference as the Docker client does before pulling (distribution/reference's
 * `ParseNormalizedNamed`): a first component that is `localhost` or contains `.` or `:` is a registry host,
 * otherwise the image lives on Docker Hub, where one-component names get `library/`. Validation is the daemon's.
 */
export function toPullReference(image: string): PullReference {
  let name = image;
  let tag: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    tag = name.slice(at + 1);
    name = name.slice(0, at);
  }
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    // A digest wins over a tag, as in `x:1@sha256:…`.
    tag ??= name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  return { fromImage: qualifyImageName(name), tag: tag ?? 'latest', defaultTag: tag === undefined };
}

/** `busybox` → `docker.io/library/busybox`; `user/app` → `docker.io/user/app`; names with a host are kept. */
export function qualifyImageName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (first === 'localhost' || first.includes('.') || first.includes(':') || first !== first.toLowerCase()) {
    return first === 'index.docker.io' ? `docker.io${name.slice(slash)}` : name;
  }
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}
