// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Rmi extends EngineCommand {
  static override summary = 'Remove one or more images';
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'force removal of the image' }),
    'no-prune': Flags.boolean({ description: 'do not delete untagged parents' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Rmi);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (image) => {
      for (const item of await client.removeImage(image, { force: flags.force, noprune: flags['no-prune'] })) {
        this.log('Untagged' in item ? `Untagged: ${item.Untagged}` : `Deleted: ${item.Deleted}`);
      }
    });
  }
}
