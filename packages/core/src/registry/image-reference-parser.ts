// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ImageReference } from './image-reference.js';

// The grammar of distribution/reference (`regexp.go`), and its normalisation (`normalize.go`).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const ANCHORED_ID = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

/** Docker Hub's canonical domain, and the legacy name it is also known by. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
const LEGACY_HUB_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

export interface ParseImageReferenceOptions {
  /** Adds tag `latest` when the reference has neither tag nor digest (the default, as `docker pull` does). */
  defaultTag?: boolean;
}

/**
 * Parses and normalises an image reference as Docker does: `busybox` is `docker.io/library/busybox:latest`,
 * `user/app` is on Docker Hub, and the first component is a registry host only when it is `localhost`, contains
 * `.` or `:`, or has upper-case letters. Throws {@link InvalidArgumentError} naming what is wrong.
 */
export function parseImageReference(input: string, options: ParseImageReferenceOptions = {}): ImageReference {
  const invalid = (why: string) => new InvalidArgumentError(`invalid reference format: ${why} in "${input}"`);
  if (input === '') throw invalid('repository name must have at least one component');
  if (ANCHORED_ID.test(input)) {
    throw new InvalidArgumentError(
      `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`,
      { hint: 'to refer to an image by id, use sha256:<id>' },
    );
  }

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(`invalid digest "${digest}"`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw invalid(`invalid sha256 digest "${digest}"`);
    }
  }

  // A tag follows the last ':' unless that ':' belongs to a host's port (a '/' comes after it).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.slice(colon + 1).includes('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(`invalid tag "${tag}"`);
  }

  const { domain, path } = splitDomain(rest);
  if (domain === '' || !DOMAIN.test(domain)) throw invalid(`invalid registry host "${domain}"`);
  if (path === '') throw invalid('repository name must have at least one component');
  if (path !== path.toLowerCase()) throw invalid('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(component === '' ? 'repository name has an empty component' : `invalid repository name component "${component}"`);
    }
  }
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }

  if (tag === undefined && digest === undefined && (options.defaultTag ?? true)) tag = 'latest';
  return { domain, path, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost = slash >= 0 && (first === 'localhost' || /[.:]/.test(first) || first !== first.toLowerCase());
  let domain = isHost ? first : DOCKER_HUB_DOMAIN;
  let path = isHost ? name.slice(slash + 1) : name;
  if (domain === LEGACY_HUB_DOMAIN) domain = DOCKER_HUB_DOMAIN;
  if (domain === DOCKER_HUB_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  return { domain, path };
}

/** `domain/path` of a reference: the repository it names. */
export function repositoryName(reference: ImageReference): string {
  return `${reference.domain}/${reference.path}`;
}

/** The fully-qualified form: `docker.io/library/busybox:latest`, `host:5000/x@sha256:…`. */
export function formatReference(reference: ImageReference): string {
  return repositoryName(reference) + tagAndDigest(reference);
}

/** The short form Docker prints: `busybox:latest`, `user/app:1`, `127.0.0.1:5000/fixtures/busybox:latest`. */
export function familiarName(reference: ImageReference): string {
  return familiarRepository(reference) + tagAndDigest(reference);
}

function tagAndDigest(reference: ImageReference): string {
  return `${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
}

function familiarRepository(reference: ImageReference): string {
  if (reference.domain !== DOCKER_HUB_DOMAIN) return repositoryName(reference);
  const official = reference.path.startsWith(OFFICIAL_REPO_PREFIX) && !reference.path.slice(OFFICIAL_REPO_PREFIX.length).includes('/');
  return official ? reference.path.slice(OFFICIAL_REPO_PREFIX.length) : reference.path;
}
