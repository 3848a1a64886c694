// SPDX-License-Identifier: Apache-2.0
import type { ECRClient, ECRClientConfig } from '@aws-sdk/client-ecr';
import { decodeAuthorizationToken, ecrApiError, type EcrApi, type EcrAuthorization, type EcrAuthorizationRequest } from './ecr-api.js';

/**
 * {@link EcrApi} through `@aws-sdk/client-ecr`: SigV4-signed, with credentials from the SDK's default chain
 * (environment, shared config and SSO, web identity, container and instance roles) and the endpoint from the
 * standard settings (`AWS_ENDPOINT_URL_ECR`, `endpoint_url` in ~/.aws/config) unless `endpoint` overrides it.
 */
export class SdkEcrApi implements EcrApi {
  private readonly clients = new Map<string, Promise<ECRClient>>();

  /** `config`: SDK client settings applied to every region's client (tests give credentials). */
  constructor(private readonly config: ECRClientConfig = {}) {}

  async getAuthorizationToken(request: EcrAuthorizationRequest): Promise<EcrAuthorization> {
    const what = `ecr ${request.registryId} in ${request.region}: GetAuthorizationToken`;
    const client = await this.client(request);
    // Loaded with the client: the SDK is large, and a daemon that never meets an ECR host never pays for it.
    const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    let data;
    try {
      // `registryIds` is deprecated: a token works for every registry the credentials may reach.
      data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    } catch (error) {
      throw ecrApiError(error, what);
    }
    if (!data?.authorizationToken || !data.expiresAt) throw ecrApiError(new Error('the answer holds no authorization data'), what);
    return decodeAuthorizationToken(data.authorizationToken, data.expiresAt, what);
  }

  private client(request: EcrAuthorizationRequest): Promise<ECRClient> {
    const key = `${request.region}/${request.fips}/${request.dualStack}`;
    let client = this.clients.get(key);
    if (!client) {
      client = import('@aws-sdk/client-ecr').then(
        ({ ECRClient }) =>
          new ECRClient({ region: request.region, useFipsEndpoint: request.fips, useDualstackEndpoint: request.dualStack, ...this.config }),
      );
      this.clients.set(key, client);
    }
    return client;
  }
}
