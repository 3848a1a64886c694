// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeKill extends ComposeEngineCommand {
  static override summary = 'Send a signal to the running containers of the services';
  static override strict = false;
  static override usage = 'compose kill [OPTIONS] [SERVICE...]';
  static override flags = {
    signal: Flags.string({ char: 's', description: 'signal to send', default: 'SIGKILL' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeKill);
    await this.converger(await this.loadProject(flags), flags).kill(argv as string[], flags.signal);
  }
}
