// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';

export default class VolumeRm extends EngineCommand {
  static override summary = 'Remove one or more volumes; a volume in use by a container cannot be removed';
  static override aliases = ['volume:remove'];
  static override flags = { force: Flags.boolean({ char: 'f', description: 'do not fail when a volume does not exist' }) };
  static override args = { volume: Args.string({ required: true, description: 'volume name (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(VolumeRm);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (name) => {
      await client.removeVolume(name, { force: flags.force });
      this.log(name);
    });
  }
}
