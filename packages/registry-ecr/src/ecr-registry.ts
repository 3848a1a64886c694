// SPDX-License-Identifier: Apache-2.0
import {
  DistributionClient,
  InvalidArgumentError,
  RegistryTransport,
  TokenCache,
  credentialsFromAuth,
  loginDomain,
  type CredentialsProvider,
  type ImageReference,
  type LoginResult,
  type Registry,
  type RegistryAuth,
  type RegistryCredentials,
  type RegistryRemote,
  type RegistryRemoteOptions,
} from '@tsc-engine/core';
import type { EcrApi, EcrAuthorizationRequest } from './ecr-api.js';
import { parseEcrHost } from './ecr-host.js';
import type { EcrRegistryConfig } from './ecr-registry-config.js';
import { EcrTokenCache } from './ecr-token-cache.js';

// Above the generic registry plugin's 1: an ECR host is this plugin's.
const ECR_SCORE = 10;

/**
 * Amazon ECR and ECR Public. Their hosts are recognised by their pattern or name (or listed in the config);
 * credentials are the user's when the API call carries them (`X-Registry-Auth`), else an authorization token from
 * `GetAuthorizationToken` with the AWS credential chain, asked for only when the registry challenges and cached
 * until shortly before it expires. ECR Public serves pulls to anyone, so they go anonymously through its token
 * realm, as Docker's do without a login; its token (from the `ecr-public` API) is asked for to push. Pull and push
 * go through the shared distribution client, as for any registry.
 */
export class EcrRegistry implements Registry {
  readonly id = 'ecr';
  private readonly tokens: EcrTokenCache;
  private readonly bearerTokens = new TokenCache();
  private readonly transport: RegistryTransport;

  constructor(
    private readonly config: EcrRegistryConfig,
    api: EcrApi,
  ) {
    this.tokens = new EcrTokenCache(api);
    this.transport = new RegistryTransport({ certsDir: config.certsDir, hostAliases: config.hostAliases });
  }

  matches(domain: string): number {
    return parseEcrHost(domain) || domain.toLowerCase() in this.config.endpoints ? ECR_SCORE : 0;
  }

  async probe(): Promise<void> {}

  async remote(reference: ImageReference, options: RegistryRemoteOptions = {}): Promise<RegistryRemote> {
    return this.client(reference.domain, reference.path, options.auth, options.push);
  }

  async login(domain: string, auth: RegistryAuth): Promise<LoginResult> {
    const { identityToken } = await (await this.client(loginDomain(domain), '', auth)).checkAuth();
    return { status: 'Login Succeeded', ...(identityToken && { identityToken }) };
  }

  private async client(domain: string, repository: string, auth: RegistryAuth | undefined, push?: boolean): Promise<DistributionClient> {
    const endpoint = new URL(this.config.endpoints[domain.toLowerCase()] ?? `https://${domain}`);
    const given = credentialsFromAuth(auth);
    const anonymous = !push && parseEcrHost(domain)?.service === 'ecr-public';
    const credentials: RegistryCredentials | CredentialsProvider = Object.keys(given).length > 0 || anonymous ? given : () => this.token(domain);
    return new DistributionClient({
      domain,
      endpoint,
      repository,
      credentials,
      push,
      tokenCache: this.bearerTokens,
      agents: await this.transport.agentsFor(endpoint.host),
    });
  }

  private async token(domain: string): Promise<RegistryCredentials> {
    const { username, password } = await this.tokens.get(this.authorizationRequest(domain));
    return { username, password };
  }

  private authorizationRequest(domain: string): EcrAuthorizationRequest {
    const host = parseEcrHost(domain);
    if (host) return host;
    if (!this.config.region) {
      throw new InvalidArgumentError(`registry plugin ecr: ${domain} names no region`, {
        hint: 'set "region" in the plugin\'s section of daemon.json',
      });
    }
    return { service: 'ecr', registryId: '', region: this.config.region, fips: false, dualStack: false };
  }
}
