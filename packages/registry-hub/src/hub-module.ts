// SPDX-License-Identifier: Apache-2.0
import { EngineConfig, Registry, type PluginInit } from '@tsc-engine/core';
import { ContainerModule } from '@tsc-engine/core/shared/inversify';
import { HubRegistry } from './hub-registry.js';
import { hubRegistryConfig } from './hub-registry-config.js';

/** The `tsc-engine.registry.v1` plugin `hub`: Docker Hub and generic OCI registries. */
const initHubRegistry: PluginInit = (context) =>
  new ContainerModule((options) => {
    // A dynamic value, so the daemon-wide registry settings are read from the container the plugin is loaded into.
    options
      .bind<Registry>(Registry)
      .toDynamicValue((resolution) => new HubRegistry(hubRegistryConfig(context.config, resolution.get<EngineConfig>(EngineConfig, { optional: true }))))
      .inSingletonScope();
  });

export default initHubRegistry;
