// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';

export default class NetworkConnect extends EngineCommand {
  static override summary = 'Connect a container to a network';
  static override flags = {
    alias: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'add a network-scoped alias for the container' }),
    ip: Flags.string({ description: 'IPv4 address for the container on this network' }),
  };
  static override args = {
    network: Args.string({ required: true, description: 'network name or id' }),
    container: Args.string({ required: true, description: 'container name or id' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(NetworkConnect);
    const client = await this.connect(flags);
    await client.connectNetwork(args.network, args.container, {
      Aliases: flags.alias ?? [],
      IPAMConfig: flags.ip ? { IPv4Address: flags.ip } : undefined,
    });
  }
}
