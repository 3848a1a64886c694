// SPDX-License-Identifier: Apache-2.0
import { Runtime, type PluginInit } from '@tsc-engine/core';
import { ContainerModule } from '@tsc-engine/core/shared/inversify';
import { RuncRuntime } from './runc-runtime.js';

const init: PluginInit = (context) =>
  new ContainerModule((options) => {
    options.bind(Runtime).toConstantValue(RuncRuntime.fromContext(context));
  });

export default init;
