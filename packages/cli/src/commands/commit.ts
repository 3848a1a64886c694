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
    const { repo, tag } = splitRepositoryTag(args.repository);
    const id = await client.commitContainer(args.container, {
      repo,
      tag,
      author: flags.author,
      comment: flags.message,
      changes: flags.change,
      pause: flags.pause,
    });
    process.stdout.write(`${id}\n`);
  }
}

/** `repo[:tag]` → its parts; a registry port's colon is not a tag's. */
function splitRepositoryTag(reference: string | undefined): { repo?: string; tag?: string } {
  if (!reference) return {};
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/') || reference.includes('@')) return { repo: reference };
  return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}
