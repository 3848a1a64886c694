// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from './engine-command.js';

/** `pause` and `unpause`: the same request with a different action, each container named back as it is done. */
export abstract class PauseCommand extends EngineCommand {
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;
  protected abstract readonly action: 'pause' | 'unpause';

  async run(): Promise<void> {
    // oclif spreads the command class into its parser options, which drops statics a subclass inherits: name them.
    const command = this.constructor as typeof PauseCommand;
    const { flags, argv } = await this.parse({ args: command.args, strict: command.strict, flags: command.flags, baseFlags: command.baseFlags });
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.pauseContainer(container, this.action);
      this.log(container);
    });
  }
}
