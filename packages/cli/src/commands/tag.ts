// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../engine-command.js';

export default class Tag extends EngineCommand {
  static override summary = 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE';
  static override args = {
    source: Args.string({ required: true, description: 'image name or id' }),
    target: Args.string({ required: true, description: 'new name, repository[:tag]' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Tag);
    const client = await this.connect(flags);
    await client.tagImage(args.source, args.target);
  }
}
