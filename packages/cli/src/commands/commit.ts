// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Commit extends EngineCommand {
  static override summary = "Create a new image from a container's changes";
  static override aliases = ['container:commit'];
  static override args = {
    container: Args.string({ required: true, description: 'container name or id' }),
    repository: Args.string({ description: 'name for the image, repository[:tag]' }),
  };
  static override flags = {
    author: Flags.string({ char: 'a', description: 'author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' }),
    change: Flags.string({ char: 'c', multiple: true, multipleNonGreedy: true, description: 'apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)' }),
    message: Flags.string({ char: 'm', description: 'commit message' }),
    pause: Flags.boolean({ char: 'p', description: 'pause the container during commit', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Commit);
    const client = await this.connect(flags);
    // The daemon reads a tag in the repository itself (`repo:tag`), as it does for `docker import`.
    const id = await client.commitContainer(args.container, {
      repo: args.repository,
      author: flags.author,
      comment: flags.message,
      changes: flags.change,
      pause: flags.pause,
    });
    process.stdout.write(`${id}\n`);
  }
}
