// SPDX-License-Identifier: Apache-2.0
import { registryConformance } from '@tsc-engine/core/testing';
import { HubRegistry } from './hub-registry.js';
import { hubRegistryConfig } from './hub-registry-config.js';

// Loopback registries are reached directly over plain HTTP, as any non-Hub host is.
registryConformance('hub', { create: () => new HubRegistry(hubRegistryConfig({})) });
