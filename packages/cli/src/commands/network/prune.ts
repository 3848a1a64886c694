// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { confirmPrompt } from '../../confirm-prompt.js';
import { EngineCommand } from '../../engine-command.js';

export default class NetworkPrune extends EngineCommand {
  static override summary = 'Remove all unused networks';
  static override flags = { force: Flags.boolean({ char: 'f', description: 'do not prompt for confirmation' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkPrune);
    const warning = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    if (!flags.force && !(await confirmPrompt(warning))) return;
    const client = await this.connect(flags);
    const { NetworksDeleted } = await client.pruneNetworks();
    if (NetworksDeleted?.length) this.log(`Deleted Networks:\n${NetworksDeleted.join('\n')}`);
  }
}
