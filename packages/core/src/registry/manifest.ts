// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { Descriptor } from './descriptor.js';
import { isIndexMediaType, isManifestMediaType } from './media-types.js';

/** An image manifest (OCI or Docker schema2; their JSON is the same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** An image index or Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export type ParsedManifest = { kind: 'index'; index: ImageIndex } | { kind: 'manifest'; manifest: ImageManifest };

/**
 * Parses manifest bytes served with `mediaType`. The `mediaType` field, when present, must agree with it
 * (distribution-spec), which stops a registry from passing an index off as a manifest or the other way round.
 */
export function parseManifest(bytes: Buffer, mediaType: string, what: string): ParsedManifest {
  let json: { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new InvalidArgumentError(`${what}: manifest is not valid JSON`, { cause });
  }
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (declared !== undefined && isKnown(mediaType) && declared !== mediaType) {
    throw new InvalidArgumentError(`${what}: manifest media type ${declared} does not match content type ${mediaType}`);
  }
  const effective = isKnown(mediaType) ? mediaType : declared ?? (Array.isArray(json.manifests) ? 'index' : 'manifest');
  if (json.schemaVersion !== 2) {
    throw new InvalidArgumentError(`${what}: unsupported manifest schema version ${String(json.schemaVersion)}`, {
      hint: 'Docker schema1 manifests are not supported; push the image again with a current client',
    });
  }
  if (isIndexMediaType(effective) || effective === 'index') {
    if (!Array.isArray(json.manifests)) throw new InvalidArgumentError(`${what}: index has no manifests`);
    return { kind: 'index', index: json as ImageIndex };
  }
  if (!json.config || !Array.isArray(json.layers)) {
    throw new InvalidArgumentError(`${what}: unsupported manifest media type ${effective}`);
  }
  return { kind: 'manifest', manifest: json as ImageManifest };
}

function isKnown(mediaType: string): boolean {
  return isIndexMediaType(mediaType) || isManifestMediaType(mediaType);
}
