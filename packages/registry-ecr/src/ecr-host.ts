// SPDX-License-Identifier: Apache-2.0

/**
 * ECR registry hosts, as awslabs/amazon-ecr-credential-helper matches them (`ecr-login/api/client.go`): account,
 * `dkr.ecr` or dual-stack `dkr-ecr`, optional `-fips`, region, and every AWS partition's domain (China's
 * `amazonaws.com.cn`, `on.aws`, the ISO and EU sovereign partitions).
 */
export const ECR_HOST_PATTERN =
  /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** What an ECR host says about the registry behind it. */
export interface EcrHost {
  /** The AWS account id, which is the registry id. */
  registryId: string;
  region: string;
  fips: boolean;
  /** `dkr-ecr` hosts are ECR's dual-stack (IPv4 and IPv6) endpoints. */
  dualStack: boolean;
}

/** Parses `123456789012.dkr.ecr.us-east-1.amazonaws.com` (a port, if any, is ignored); undefined for other hosts. */
export function parseEcrHost(domain: string): EcrHost | undefined {
  const match = ECR_HOST_PATTERN.exec(domain.replace(/:\d+$/, '').toLowerCase());
  if (!match) return undefined;
  return { registryId: match[1], region: match[3], fips: match[2] !== undefined, dualStack: domain.toLowerCase().includes('.dkr-ecr') };
}
