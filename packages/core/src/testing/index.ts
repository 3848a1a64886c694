// SPDX-License-Identifier: Apache-2.0
// `@tsc-engine/core/testing`: the conformance suites plugin authors run, and what they run against.
export { runtimeConformance, type RuntimeConformanceContext, type RuntimeFactory } from './runtime-conformance.js';
export { registryConformance, type RegistryConformanceOptions } from './registry-conformance.js';
export { startConformanceRegistry, type ConformanceRegistry, type ConformanceImage } from './conformance-registry.js';
export { TestHost, TEST_CGROUP_PARENT, ensureInstalled } from '../supervisor/testing/busybox-bundle.js';
export { layerTar, type LayerTarEntry } from './layer-tar.js';
export { startTokenIssuer, type TokenIssuer, type TokenIssuerOptions, type TokenRequest } from './token-issuer.js';
export { stateStoreContract, type StateStoreContractTarget } from './state-store-contract.js';
export type { StateOpener } from './state-store-worker.js';
export { startRedisServer, type TestRedisServer } from './redis-server.js';
