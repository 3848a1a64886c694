// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError, toPullReference, type ProgressMessage } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { ProgressPrinter } from '../progress-printer.js';

export default class Push extends EngineCommand {
  static override summary = 'Upload an image to a registry';
  static override flags = {
    'all-tags': Flags.boolean({ char: 'a', description: 'push all tags of the repository' }),
    quiet: Flags.boolean({ char: 'q', description: 'suppress progress output' }),
  };
  static override args = { image: Args.string({ required: true, description: 'name[:tag], e.g. 127.0.0.1:5000/app:1' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Push);
    const reference = toPullReference(args.image);
    if (flags['all-tags'] && !reference.defaultTag) {
      throw new InvalidArgumentError('tag can\'t be used with --all-tags/-a');
    }
    // As docker: a bare repository pushes `latest`, unless every tag was asked for.
    const image = flags['all-tags'] ? args.image : reference.defaultTag ? `${args.image}:latest` : args.image;
    if (reference.defaultTag && !flags['all-tags']) this.log('Using default tag: latest');
    const client = await this.connect(flags);
    const { registryAuthFor } = await import('../registry-credentials.js');
    const auth = await registryAuthFor(args.image);
    const printer = new ProgressPrinter(process.stdout, process.stdout.isTTY === true);
    await client.pushImage({ image, auth }, (message: ProgressMessage) => {
      // `aux` carries the pushed digest for programs; its status line already said the same to people.
      if (message.aux === undefined && !flags.quiet) printer.print(message);
    });
    if (flags.quiet) this.log(image);
  }
}
