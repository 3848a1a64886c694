// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../../engine-command.js';

export default class NetworkRm extends EngineCommand {
  static override summary = 'Remove one or more networks';
  static override aliases = ['network:remove'];
  static override args = { network: Args.string({ required: true, description: 'network name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(NetworkRm);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (network) => {
      await client.removeNetwork(network);
      this.log(network);
    });
  }
}
