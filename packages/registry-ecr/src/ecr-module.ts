// SPDX-License-Identifier: Apache-2.0
import { EngineConfig, Registry, type PluginInit } from '@tsc-engine/core';
import { ContainerModule } from '@tsc-engine/core/shared/inversify';
import { EcrRegistry } from './ecr-registry.js';
import { ecrRegistryConfig } from './ecr-registry-config.js';
import { SdkEcrApi } from './sdk-ecr-api.js';

/** The `tsc-engine.registry.v1` plugin `ecr`: Amazon ECR registries. */
const initEcrRegistry: PluginInit = (context) =>
  new ContainerModule((options) => {
    options
      .bind<Registry>(Registry)
      .toDynamicValue((resolution) => {
        const engine = resolution.get<EngineConfig>(EngineConfig, { optional: true });
        return new EcrRegistry(ecrRegistryConfig(context.config, engine), new SdkEcrApi());
      })
      .inSingletonScope();
  });

export default initEcrRegistry;
