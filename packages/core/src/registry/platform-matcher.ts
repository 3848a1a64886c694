// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import type { Descriptor, Platform } from './descriptor.js';

// Node's process.arch names → GOARCH names, which image indexes use.
const GOARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

// An absent variant means the architecture's baseline, so `linux/arm64` and `linux/arm64/v8` are the same.
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', amd64: 'v1', arm: 'v7' };

/** The platform images are pulled for by default: this host's. */
export function hostPlatform(): Platform {
  const architecture = GOARCH[process.arch] ?? process.arch;
  return { os: process.platform === 'win32' ? 'windows' : process.platform, architecture };
}

/** `linux/arm64/v8` → Platform; throws on anything that is not `os/arch[/variant]`. */
export function parsePlatform(text: string): Platform {
  const parts = text.toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part))) {
    throw new InvalidArgumentError(`invalid platform "${text}": expected os/arch[/variant]`);
  }
  const [os, architecture, variant] = parts;
  return { os, architecture, ...(variant !== undefined && { variant }) };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** BuildKit stores provenance and SBOMs as `unknown/unknown` index entries; they are not runnable images. */
export function isAttestation(descriptor: Descriptor): boolean {
  return descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

/** Whether an index entry's platform satisfies `wanted` (os, architecture and normalised variant). */
export function platformMatches(candidate: Platform, wanted: Platform): boolean {
  return (
    candidate.os === wanted.os &&
    candidate.architecture === wanted.architecture &&
    normalisedVariant(candidate) === normalisedVariant(wanted)
  );
}

function normalisedVariant(platform: Platform): string {
  return platform.variant ?? DEFAULT_VARIANT[platform.architecture] ?? '';
}

/**
 * Picks the manifest for `wanted` from an index's entries: the first match, as image-spec says, never an
 * attestation. Throws not-found listing what the index offers.
 */
export function selectPlatformManifest(manifests: Descriptor[], wanted: Platform, what: string): Descriptor {
  const images = manifests.filter((entry) => entry.platform && !isAttestation(entry));
  const match = images.find((entry) => platformMatches(entry.platform as Platform, wanted));
  if (match) return match;
  const available = images.map((entry) => formatPlatform(entry.platform as Platform));
  throw new NotFoundError(
    `${what}: no matching manifest for ${formatPlatform(wanted)} in the manifest list entries` +
      ` (available: ${available.length ? available.join(', ') : 'none'})`,
    { hint: 'choose one of the available platforms with --platform' },
  );
}
