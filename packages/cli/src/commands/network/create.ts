// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { keyValueMap } from '../../key-value-map.js';

export default class NetworkCreate extends EngineCommand {
  static override summary = 'Create a network';
  static override flags = {
    driver: Flags.string({ char: 'd', description: 'driver to manage the network', default: 'bridge' }),
    subnet: Flags.string({ description: 'subnet in CIDR format, e.g. 10.10.0.0/24' }),
    gateway: Flags.string({ description: 'gateway address of the subnet' }),
    internal: Flags.boolean({ description: 'restrict external access to the network' }),
    label: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'set metadata on the network (key=value)' }),
    opt: Flags.string({ char: 'o', multiple: true, multipleNonGreedy: true, description: 'driver specific options (key=value)' }),
  };
  static override args = { name: Args.string({ required: true, description: 'network name' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(NetworkCreate);
    const client = await this.connect(flags);
    const { Id } = await client.createNetwork({
      Name: args.name,
      Driver: flags.driver,
      Internal: flags.internal,
      IPAM: { Driver: 'default', Config: flags.subnet || flags.gateway ? [{ Subnet: flags.subnet, Gateway: flags.gateway }] : [] },
      Labels: keyValueMap(flags.label),
      Options: keyValueMap(flags.opt),
    });
    this.log(Id);
  }
}
