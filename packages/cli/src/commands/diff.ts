// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../engine-command.js';

/** `docker diff`'s letters for a change's kind (modified, added, deleted). */
const KIND_LETTERS = ['C', 'A', 'D'];

export default class Diff extends EngineCommand {
  static override summary = "Inspect changes to files or directories on a container's filesystem";
  static override aliases = ['container:diff'];
  static override args = {
    container: Args.string({ required: true, description: 'container name or id' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Diff);
    const client = await this.connect(flags);
    for (const change of (await client.containerChanges(args.container)) ?? []) {
      process.stdout.write(`${KIND_LETTERS[change.Kind] ?? '?'} ${change.Path}\n`);
    }
  }
}
