// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { writeArchive } from '../archive-output.js';
import { EngineCommand } from '../engine-command.js';

export default class Save extends EngineCommand {
  static override summary = 'Save one or more images to a tar archive (streamed to STDOUT by default)';
  static override aliases = ['image:save'];
  static override flags = {
    output: Flags.string({ char: 'o', description: 'write to a file, instead of STDOUT' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Save);
    await writeArchive(flags.output, async () => (await this.connect(flags)).saveImages(argv as string[]));
  }
}
