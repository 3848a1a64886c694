// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { InvalidArgumentError, type EngineConfig } from '@tsc-engine/core';

/** How the ECR plugin reaches registries (`"tsc-engine.registry.v1.ecr"` in daemon.json's `plugins`). */
export interface EcrRegistryConfig {
  /**
   * Registry hosts and the URL their API is reached at instead of `https://<host>` (a VPC endpoint, a proxy, a test
   * registry). A host listed here is served by this plugin even when it does not look like an ECR host.
   */
  endpoints: Record<string, string>;
  /** The region of listed hosts that do not name one. */
  region?: string;
  /** Per-registry CA and client certificates, `<certsDir>/<host:port>/` as Docker's `certs.d`; `certs.d` in the data root. */
  certsDir?: string;
  /** Host names and the addresses to reach them at instead of asking DNS. */
  hostAliases: Record<string, string>;
}

export function ecrRegistryConfig(section: Record<string, unknown>, engine?: Partial<Pick<EngineConfig, 'dataRoot'>>): EcrRegistryConfig {
  const endpoints = stringMap(section.endpoints ?? {}, 'endpoints');
  for (const [host, url] of Object.entries(endpoints)) {
    if (!isHttpUrl(url)) throw new InvalidArgumentError(`registry plugin ecr: endpoint of ${host} must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (section.region !== undefined && typeof section.region !== 'string') throw new InvalidArgumentError('registry plugin ecr: region must be a string');
  const certsDir = section.certsDir ?? (engine?.dataRoot === undefined ? undefined : join(engine.dataRoot, 'certs.d'));
  if (certsDir !== undefined && typeof certsDir !== 'string') throw new InvalidArgumentError('registry plugin ecr: certsDir must be a path');
  return {
    endpoints: Object.fromEntries(Object.entries(endpoints).map(([host, url]) => [host.toLowerCase(), url])),
    region: section.region as string | undefined,
    certsDir,
    hostAliases: stringMap(section.hostAliases ?? {}, 'hostAliases'),
  };
}

function stringMap(value: unknown, key: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw new InvalidArgumentError(`registry plugin ecr: ${key} must map host names to strings`);
  }
  return value as Record<string, string>;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
