// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { keyValueMap } from '../../key-value-map.js';

export default class VolumeCreate extends EngineCommand {
  static override summary = 'Create a volume';
  static override flags = {
    driver: Flags.string({ char: 'd', description: 'volume driver name', default: 'local' }),
    opt: Flags.string({ char: 'o', multiple: true, multipleNonGreedy: true, description: 'driver specific options (key=value)' }),
    label: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'set metadata for a volume (key=value)' }),
    name: Flags.string({ description: 'volume name (instead of the argument)' }),
  };
  static override args = { name: Args.string({ description: 'volume name; a random one when left out' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(VolumeCreate);
    const client = await this.connect(flags);
    const volume = await client.createVolume({
      Name: args.name ?? flags.name,
      Driver: flags.driver,
      DriverOpts: keyValueMap(flags.opt),
      Labels: keyValueMap(flags.label),
    });
    this.log(volume.Name);
  }
}
