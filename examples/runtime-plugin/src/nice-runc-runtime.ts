// SPDX-License-Identifier: Apache-2.0
import { OciRuntimeBase, PluginSkipError, findExecutable, type OciRuntimeOptions, type PluginContext, type RuntimeCommand } from '@tsc-engine/core';
import { injectable } from '@tsc-engine/core/shared/inversify';
import { niceRuncConfig } from './nice-runc-config.js';

export interface NiceRuncOptions extends OciRuntimeOptions {
  niceness: number;
  /** nice(1); undefined when it is not installed. */
  nicePath: string | undefined;
}

/**
 * runc, run through nice(1): the container's processes inherit the lower priority from the runtime that starts
 * them. A runtime *wrapper* — the engine invokes {@link command}, so wrapping is a matter of what it returns; the
 * OCI command line itself (state, start, kill, delete) is {@link OciRuntimeBase}'s.
 */
@injectable()
export class NiceRuncRuntime extends OciRuntimeBase {
  readonly id = 'nice-runc';

  constructor(private readonly niceOptions: NiceRuncOptions) {
    super(niceOptions);
  }

  static fromContext(context: PluginContext): NiceRuncRuntime {
    const { niceness } = niceRuncConfig(context.config);
    return new NiceRuncRuntime({ ...OciRuntimeBase.optionsFrom(context, 'runc'), niceness, nicePath: findExecutable('nice') });
  }

  override async probe(): Promise<void> {
    if (!this.niceOptions.nicePath) throw new PluginSkipError('runtime nice-runc: nice not found in PATH');
    await super.probe();
  }

  override command(): RuntimeCommand {
    const runc = super.command();
    return { path: this.niceOptions.nicePath ?? 'nice', args: ['-n', String(this.niceOptions.niceness), runc.path, ...runc.args] };
  }
}
