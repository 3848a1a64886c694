// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { InvalidArgumentError, type EngineConfig } from '@tsc-engine/core';

/** Where Docker Hub's API lives unless configured otherwise (moby `DefaultRegistryHost`). */
export const DOCKER_HUB_ENDPOINT = 'https://registry-1.docker.io';

/** How the hub plugin reaches registries. */
export interface HubRegistryConfig {
  /** Docker Hub's API endpoint. */
  endpoint: string;
  /** Pull-through mirrors of Docker Hub, tried in order before {@link endpoint}. */
  mirrors: string[];
  /** Hosts reached over plain HTTP besides loopback ones. */
  insecureRegistries: string[];
  /**
   * Per-registry CA certificates (`<certsDir>/<host:port>/*.crt`) and client certificates (`<name>.cert` with
   * `<name>.key`), as Docker's `certs.d`.
   */
  certsDir?: string;
  /** Registry host names and the addresses to reach them at instead of asking DNS. */
  hostAliases: Record<string, string>;
}

/**
 * The plugin's configuration: its own section (`"tsc-engine.registry.v1.hub": {"endpoint", "mirrors",
 * "insecureRegistries", "certsDir", "hostAliases"}`) over the daemon-wide `registryMirrors` and
 * `insecureRegistries`. The daemon-wide settings reach the plugin through the {@link EngineConfig} binding of the
 * daemon's container, which plugin containers inherit; the plugin section wins for mirrors and adds to the insecure
 * list. `certsDir` defaults to `certs.d` beside daemon.json, in the data root.
 */
export function hubRegistryConfig(
  section: Record<string, unknown>,
  engine?: Partial<Pick<EngineConfig, 'registryMirrors' | 'insecureRegistries' | 'dataRoot'>>,
): HubRegistryConfig {
  const endpoint = section.endpoint ?? DOCKER_HUB_ENDPOINT;
  if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) {
    throw new InvalidArgumentError(`registry plugin hub: endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  const mirrors = section.mirrors === undefined ? engine?.registryMirrors ?? [] : stringList(section.mirrors, 'mirrors');
  for (const mirror of mirrors) {
    if (!isHttpUrl(mirror)) throw new InvalidArgumentError(`registry plugin hub: mirror "${mirror}" must be an http(s) URL`);
  }
  const insecure = [...(engine?.insecureRegistries ?? []), ...stringList(section.insecureRegistries ?? [], 'insecureRegistries')];
  const certsDir = section.certsDir ?? (engine?.dataRoot === undefined ? undefined : join(engine.dataRoot, 'certs.d'));
  if (certsDir !== undefined && typeof certsDir !== 'string') throw new InvalidArgumentError('registry plugin hub: certsDir must be a path');
  return { endpoint, mirrors, insecureRegistries: insecure, certsDir, hostAliases: stringMap(section.hostAliases ?? {}, 'hostAliases') };
}

function stringMap(value: unknown, key: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw new InvalidArgumentError(`registry plugin hub: ${key} must map host names to addresses`);
  }
  return value as Record<string, string>;
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InvalidArgumentError(`registry plugin hub: ${key} must be a list of strings`);
  }
  return value as string[];
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
