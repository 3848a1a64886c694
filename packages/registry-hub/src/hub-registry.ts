// SPDX-License-Identifier: Apache-2.0
import {
  DOCKER_HUB_DOMAIN,
  DistributionClient,
  MirroredRemote,
  RegistryTransport,
  TokenCache,
  credentialsFromAuth,
  loginDomain,
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
  private readonly transport: RegistryTransport;

  constructor(private readonly config: HubRegistryConfig) {
    this.transport = new RegistryTransport({ certsDir: config.certsDir, hostAliases: config.hostAliases });
  }

  matches(): number {
    return 1;
  }

  async probe(): Promise<void> {}

  async remote(reference: ImageReference, options: RegistryRemoteOptions = {}): Promise<RegistryRemote> {
    const repository = reference.domain === DOCKER_HUB_DOMAIN && !reference.path.includes('/') ? `library/${reference.path}` : reference.path;
    const credentials = credentialsFromAuth(options.auth);
    const client = async (endpoint: URL, clientCredentials: RegistryCredentials) =>
      new DistributionClient({
        domain: reference.domain,
        endpoint,
        repository,
        credentials: clientCredentials,
        push: options.push,
        tokenCache: this.tokens,
        agents: await this.transport.agentsFor(endpoint.host),
      });
    const upstream = await client(this.endpointOf(reference.domain), credentials);
    if (reference.domain !== DOCKER_HUB_DOMAIN || options.push || this.config.mirrors.length === 0) return upstream;
    // A mirror is another party's server: the user's Docker Hub password is not sent to it.
    const mirrors = await Promise.all(this.config.mirrors.map((mirror) => client(new URL(mirror), {})));
    return new MirroredRemote(mirrors, upstream);
  }

  async login(domain: string, auth: RegistryAuth): Promise<LoginResult> {
    const host = loginDomain(domain);
    const endpoint = this.endpointOf(host);
    const client = new DistributionClient({
      domain: host,
      endpoint,
      repository: '',
      credentials: credentialsFromAuth(auth),
      tokenCache: this.tokens,
      agents: await this.transport.agentsFor(endpoint.host),
    });
    const { identityToken } = await client.checkAuth();
    return { status: 'Login Succeeded', ...(identityToken && { identityToken }) };
  }

  private endpointOf(domain: string): URL {
    return domain === DOCKER_HUB_DOMAIN ? new URL(this.config.endpoint) : registryEndpoint(domain, this.config.insecureRegistries);
  }
}
