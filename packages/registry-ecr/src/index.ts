// SPDX-License-Identifier: Apache-2.0
export { EcrRegistry } from './ecr-registry.js';
export { ecrRegistryConfig, type EcrRegistryConfig } from './ecr-registry-config.js';
export { ECR_HOST_PATTERN, ECR_PUBLIC_HOST, ECR_PUBLIC_REGION, parseEcrHost, type EcrHost } from './ecr-host.js';
export { decodeAuthorizationToken, type EcrApi, type EcrAuthorization, type EcrAuthorizationRequest } from './ecr-api.js';
export { SdkEcrApi, type SdkEcrApiConfig } from './sdk-ecr-api.js';
export { EcrTokenCache } from './ecr-token-cache.js';
export { default as initEcrRegistry } from './ecr-module.js';
