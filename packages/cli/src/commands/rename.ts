// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../engine-command.js';

export default class Rename extends EngineCommand {
  static override summary = 'Rename a container';
  static override args = {
    container: Args.string({ required: true, description: 'container name or id' }),
    name: Args.string({ required: true, description: 'its new name' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Rename);
    const client = await this.connect(flags);
    await client.renameContainer(args.container, args.name);
  }
}
