// SPDX-License-Identifier: Apache-2.0
export { HubRegistry } from './hub-registry.js';
export { hubRegistryConfig, DOCKER_HUB_ENDPOINT, type HubRegistryConfig } from './hub-registry-config.js';
export { default as initHubRegistry } from './hub-module.js';
