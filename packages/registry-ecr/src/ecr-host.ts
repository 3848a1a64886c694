// SPDX-License-Identifier: Apache-2.0

/**
 * ECR registry hosts, as awslabs/amazon-ecr-credential-helper matches them (`ecr-login/api/client.go`): account,
 * `dkr.ecr` or dual-stack `dkr-ecr`, optional `-fips`, region, and every AWS partition's domain (China's
 * `amazonaws.com.cn`, `on.aws`, the ISO and EU sovereign partitions).
 */
export const ECR_HOST_PATTERN =
  /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** ECR Public's one registry host, as the ECR credential helper names it. */
export const ECR_PUBLIC_HOST = 'public.ecr.aws';
/** ECR Public's API is served in this region only, whichever region the caller works in. */
export const ECR_PUBLIC_REGION = 'us-east-1';

/** What an ECR host says about the registry behind it. */
export interface EcrHost {
  /**
   * The API its authorization tokens come from, which is also the SigV4 service name: `ecr` for private
   * registries, `ecr-public` for ECR Public.
   */
  service: 'ecr' | 'ecr-public';
  /** The AWS account id, which is the registry id; empty for ECR Public, where a token serves every registry. */
  registryId: string;
  region: string;
  fips: boolean;
  /** `dkr-ecr` hosts are ECR's dual-stack (IPv4 and IPv6) endpoints. */
  dualStack: boolean;
}

/**
 * Parses `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `public.ecr.aws` (a port, if any, is ignored);
 * undefined for other hosts.
 */
export function parseEcrHost(domain: string): EcrHost | undefined {
  const host = domain.replace(/:\d+$/, '').toLowerCase();
  if (host === ECR_PUBLIC_HOST) return { service: 'ecr-public', registryId: '', region: ECR_PUBLIC_REGION, fips: false, dualStack: false };
  const match = ECR_HOST_PATTERN.exec(host);
  if (!match) return undefined;
  return { service: 'ecr', registryId: match[1], region: match[3], fips: match[2] !== undefined, dualStack: host.includes('.dkr-ecr') };
}
