// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';

export default class NetworkDisconnect extends EngineCommand {
  static override summary = 'Disconnect a container from a network';
  static override flags = { force: Flags.boolean({ char: 'f', description: 'force the container to disconnect' }) };
  static override args = {
    network: Args.string({ required: true, description: 'network name or id' }),
    container: Args.string({ required: true, description: 'container name or id' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(NetworkDisconnect);
    const client = await this.connect(flags);
    await client.disconnectNetwork(args.network, args.container, { force: flags.force });
  }
}
