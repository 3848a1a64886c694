// SPDX-License-Identifier: Apache-2.0
import { Runtime, type PluginInit } from '@tsc-engine/core';
import { ContainerModule } from '@tsc-engine/core/shared/inversify';
import { CrunRuntime } from './crun-runtime.js';

/** The `tsc-engine.runtime.v1` plugin `crun`. Config key `tsc-engine.runtime.v1.crun`: `path`, `args`. */
const init: PluginInit = (context) =>
  new ContainerModule((options) => {
    options.bind(Runtime).toConstantValue(CrunRuntime.fromContext(context));
  });

export default init;
