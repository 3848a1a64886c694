// SPDX-License-Identifier: Apache-2.0
import { Runtime, type PluginInit } from '@tsc-engine/core';
import { ContainerModule } from '@tsc-engine/core/shared/inversify';
import { NiceRuncRuntime } from './nice-runc-runtime.js';

/** The engine imports this module and calls its default export with the plugin's context. */
const init: PluginInit = (context) =>
  new ContainerModule((options) => {
    options.bind(Runtime).toConstantValue(NiceRuncRuntime.fromContext(context));
  });

export default init;
