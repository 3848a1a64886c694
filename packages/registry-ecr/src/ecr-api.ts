// SPDX-License-Identifier: Apache-2.0
import { UnauthorizedError, UnavailableError } from '@tsc-engine/core';
import type { EcrHost } from './ecr-host.js';

/** An ECR authorization token, decoded: HTTP Basic credentials for the registry, valid until `expiresAt`. */
export interface EcrAuthorization {
  username: string;
  password: string;
  expiresAt: Date;
}

/** Which registry a token is for: the fields of {@link EcrHost}, from the host name or the plugin's config. */
export type EcrAuthorizationRequest = EcrHost;

/**
 * The one ECR API call the plugin makes, `GetAuthorizationToken` of ECR or of ECR Public (`request.service`),
 * behind a narrow interface so tests can fake the AWS boundary; {@link SdkEcrApi} is the real one.
 */
export interface EcrApi {
  getAuthorizationToken(request: EcrAuthorizationRequest): Promise<EcrAuthorization>;
}

/** Splits the API's `authorizationToken` (standard base64 of `AWS:<password>`) on its first colon. */
export function decodeAuthorizationToken(token: string, expiresAt: Date, what: string): EcrAuthorization {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new UnavailableError(`${what}: the authorization token is not base64 of user:password`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), expiresAt };
}

/** Maps an AWS SDK failure to an engine error: missing or refused credentials are the user's to fix. */
export function ecrApiError(error: unknown, what: string): Error {
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (/CredentialsProviderError|UnrecognizedClientException|InvalidSignatureException|AccessDenied|ExpiredToken|SignatureDoesNotMatch/.test(name)) {
    return new UnauthorizedError(`${what}: ${message}`, {
      cause: error,
      hint: 'provide AWS credentials allowed ecr:GetAuthorizationToken, or ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken for ECR Public (environment, ~/.aws, or an instance role)',
    });
  }
  return new UnavailableError(`${what}: ${message}`, { cause: error });
}
