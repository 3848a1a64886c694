// SPDX-License-Identifier: Apache-2.0
import type { AuthorizationData, ECRClientConfig } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClientConfig } from '@aws-sdk/client-ecr-public';
import { decodeAuthorizationToken, ecrApiError, type EcrApi, type EcrAuthorization, type EcrAuthorizationRequest } from './ecr-api.js';

/** SDK client settings applied to every client, of either API (tests give credentials and an endpoint). */
export type SdkEcrApiConfig = ECRClientConfig & ECRPUBLICClientConfig;

/** One service's `GetAuthorizationToken`, answering its authorization data. */
type TokenCall = () => Promise<Pick<AuthorizationData, 'authorizationToken' | 'expiresAt'> | undefined>;

/**
 * {@link EcrApi} through `@aws-sdk/client-ecr` and, for ECR Public, `@aws-sdk/client-ecr-public`: SigV4-signed
 * (services `ecr` and `ecr-public`), with credentials from the SDK's default chain (environment, shared config and
 * SSO, web identity, container and instance roles) and the endpoint from the standard settings
 * (`AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_ECR_PUBLIC`, `endpoint_url` in ~/.aws/config) unless `endpoint`
 * overrides it.
 */
export class SdkEcrApi implements EcrApi {
  private readonly calls = new Map<string, Promise<TokenCall>>();

  constructor(private readonly config: SdkEcrApiConfig = {}) {}

  async getAuthorizationToken(request: EcrAuthorizationRequest): Promise<EcrAuthorization> {
    const what = request.service === 'ecr-public' ? 'ecr public: GetAuthorizationToken' : `ecr ${request.registryId} in ${request.region}: GetAuthorizationToken`;
    const call = await this.tokenCall(request);
    let data;
    try {
      data = await call();
    } catch (error) {
      throw ecrApiError(error, what);
    }
    if (!data?.authorizationToken || !data.expiresAt) throw ecrApiError(new Error('the answer holds no authorization data'), what);
    return decodeAuthorizationToken(data.authorizationToken, data.expiresAt, what);
  }

  private tokenCall(request: EcrAuthorizationRequest): Promise<TokenCall> {
    const key = `${request.service}/${request.region}/${request.fips}/${request.dualStack}`;
    let call = this.calls.get(key);
    if (!call) {
      call = request.service === 'ecr-public' ? publicTokenCall(request, this.config) : privateTokenCall(request, this.config);
      this.calls.set(key, call);
    }
    return call;
  }
}

// The SDKs are loaded with their first client: they are large, and a daemon that never meets an ECR host never pays.

async function privateTokenCall(request: EcrAuthorizationRequest, config: SdkEcrApiConfig): Promise<TokenCall> {
  const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const client = new ECRClient({ region: request.region, useFipsEndpoint: request.fips, useDualstackEndpoint: request.dualStack, ...config });
  // `registryIds` is deprecated: a token works for every registry the credentials may reach.
  return async () => (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
}

async function publicTokenCall(request: EcrAuthorizationRequest, config: SdkEcrApiConfig): Promise<TokenCall> {
  const { ECRPUBLICClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr-public');
  const client = new ECRPUBLICClient({ region: request.region, useDualstackEndpoint: request.dualStack, ...config });
  // ECR Public answers one authorization, not a list: its token serves every public registry.
  return async () => (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData;
}
