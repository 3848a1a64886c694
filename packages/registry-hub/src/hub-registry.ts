// SPDX-License-Identifier: Apache-2.0
import {
  DOCKER_HUB_DOMAIN,
  DistributionClient,
  MirroredRemote,
  TokenCache,
  credentialsFromAuth,
  registryEndpoint,
  type ImageReference,
  type LoginResult,
  type Registry,
  type RegistryAuth,
  type RegistryCredentials,
  type RegistryRemote,
  type RegistryRemoteOptions,
} from '@tsc-engine/core';
import type { HubRegistryConfig } from './hub-registry-config.js';

/**
 * Docker Hub and any registry speaking the OCI distribution protocol. Docker Hub references (`docker.io/…`) go to
 * its API host, through the configured mirrors first; every other host is reached directly, over plain HTTP when
 * it is loopback or listed as insecure. It serves every host, at the lowest score, so a specific plugin (ECR)
 * takes precedence for its own.
 */
export class HubRegistry implements Registry {
  readonly id = 'hub';
  /** One cache for all of this plugin's clients: consecutive pulls from a repository reuse their token. */
  private readonly tokens = new TokenCache();

  constructor(private readonly config: HubRegistryConfig) {}

  matches(): number {
    return 1;
  }

  async probe(): Promise<void> {}

  async remote(reference: ImageReference, options: RegistryRemoteOptions = {}): Promise<RegistryRemote> {
    const repository = reference.domain === DOCKER_HUB_DOMAIN && !reference.path.includes('/') ? `library/${reference.path}` : reference.path;
    const credentials = credentialsFromAuth(options.auth);
    const client = (endpoint: URL, clientCredentials: RegistryCredentials) =>
      new DistributionClient({
        domain: reference.domain,
        endpoint,
        repository,
        credentials: clientCredentials,
        push: options.push,
        tokenCache: this.tokens,
      });
    const upstream = client(this.endpointOf(reference.domain), credentials);
    if (reference.domain !== DOCKER_HUB_DOMAIN || options.push || this.config.mirrors.length === 0) return upstream;
    // A mirror is another party's server: the user's Docker Hub password is not sent to it.
    return new MirroredRemote(this.config.mirrors.map((mirror) => client(new URL(mirror), {})), upstream);
  }

  async login(domain: string, auth: RegistryAuth): Promise<LoginResult> {
    const host = loginHost(domain);
    const client = new DistributionClient({
      domain: host,
      endpoint: this.endpointOf(host),
      repository: '',
      credentials: credentialsFromAuth(auth),
      tokenCache: this.tokens,
    });
    const { identityToken } = await client.checkAuth();
    return { status: 'Login Succeeded', ...(identityToken && { identityToken }) };
  }

  private endpointOf(domain: string): URL {
    return domain === DOCKER_HUB_DOMAIN ? new URL(this.config.endpoint) : registryEndpoint(domain, this.config.insecureRegistries);
  }
}

/** `https://index.docker.io/v1/` (what the Docker CLI sends for Hub), `host:5000` or `http://host:5000/` → host. */
function loginHost(serverAddress: string): string {
  const host = serverAddress.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === '' || host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB_DOMAIN : host;
}
