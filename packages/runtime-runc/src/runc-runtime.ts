// SPDX-License-Identifier: Apache-2.0
import { OciRuntimeBase, type OciRuntimeOptions } from '@tsc-engine/core';
import type { PluginContext } from '@tsc-engine/core';
import { injectable } from '@tsc-engine/core/shared/inversify';

/** runc, the reference OCI runtime. Everything but the name is {@link OciRuntimeBase}'s. */
@injectable()
export class RuncRuntime extends OciRuntimeBase {
  readonly id = 'runc';

  constructor(options: OciRuntimeOptions) {
    super(options);
  }

  static fromContext(context: PluginContext): RuncRuntime {
    return new RuncRuntime(OciRuntimeBase.optionsFrom(context, 'runc'));
  }
}
