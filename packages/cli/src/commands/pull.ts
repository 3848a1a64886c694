// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { toPullReference } from '@tsc-engine/core/client';
import { pullWithProgress } from '../create-container.js';
import { EngineCommand } from '../engine-command.js';

export default class Pull extends EngineCommand {
  static override summary = 'Download an image from a registry';
  static override flags = {
    platform: Flags.string({ description: 'platform to pull when the image has several (os[/arch[/variant]])' }),
    quiet: Flags.boolean({ char: 'q', description: 'suppress progress output' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image reference, e.g. busybox:1.36' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Pull);
    const client = await this.connect(flags);
    if (flags.quiet) {
      const { registryAuthFor } = await import('../registry-credentials.js');
      await client.pullImage({ image: args.image, platform: flags.platform, auth: await registryAuthFor(args.image) });
    }
    else await pullWithProgress(client, args.image, process.stdout, flags.platform);
    // Docker ends with the fully qualified reference, which scripts read.
    const reference = toPullReference(args.image);
    const separator = reference.tag.includes(':') ? '@' : ':';
    this.log(`${reference.fromImage}${separator}${reference.tag}`);
  }
}
