// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { writeArchive } from '../archive-output.js';
import { EngineCommand } from '../engine-command.js';

export default class Export extends EngineCommand {
  static override summary = "Export a container's filesystem as a tar archive (streamed to STDOUT by default)";
  static override aliases = ['container:export'];
  static override flags = {
    output: Flags.string({ char: 'o', description: 'write to a file, instead of STDOUT' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Export);
    await writeArchive(flags.output, async () => (await this.connect(flags)).exportContainer(args.container));
  }
}
