// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';

/** The host of `host:port` / `[v6]:port`, lower-cased, without brackets. */
export function registryHost(domain: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(domain);
  if (bracketed) return bracketed[1].toLowerCase();
  return domain.replace(/:\d+$/, '').toLowerCase();
}

/** Whether `domain` is this machine: Docker always talks plain HTTP to these. */
export function isLoopbackRegistry(domain: string): boolean {
  const host = registryHost(domain);
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Whether to reach `domain` over plain HTTP: loopback hosts always (as Docker does), and hosts the administrator
 * listed in `insecure-registries`, either as `host:port` or as a bare host (any port).
 */
export function isInsecureRegistry(domain: string, insecureRegistries: readonly string[] = []): boolean {
  if (isLoopbackRegistry(domain)) return true;
  const wanted = domain.toLowerCase();
  return insecureRegistries.some((entry) => {
    const listed = entry.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').toLowerCase();
    return listed === wanted || listed === registryHost(domain);
  });
}

/** Base URL of a registry's API for a reference domain. */
export function registryEndpoint(domain: string, insecureRegistries: readonly string[] = []): URL {
  return new URL(`${isInsecureRegistry(domain, insecureRegistries) ? 'http' : 'https'}://${domain}`);
}

/**
 * The registry domain a login names: `https://index.docker.io/v1/` (what the Docker CLI sends for Docker Hub), an
 * empty address, `host:5000` or `http://host:5000/` → `docker.io` or the host.
 */
export function loginDomain(serverAddress: string | undefined): string {
  const host = (serverAddress ?? '').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === '' || host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'docker.io' ? 'docker.io' : host;
}
