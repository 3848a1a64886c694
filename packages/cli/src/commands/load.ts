// SPDX-License-Identifier: Apache-2.0
import { createReadStream } from 'node:fs';
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Load extends EngineCommand {
  static override summary = 'Load an image from a tar archive or STDIN';
  static override aliases = ['image:load'];
  static override flags = {
    input: Flags.string({ char: 'i', description: 'read from a tar archive file, instead of STDIN' }),
    quiet: Flags.boolean({ char: 'q', description: 'suppress the load output' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Load);
    if (!flags.input && process.stdin.isTTY) {
      throw new InvalidArgumentError('requested load from stdin, but stdin is empty', { hint: 'use the -i flag or pipe an archive in' });
    }
    const client = await this.connect(flags);
    const archive = flags.input ? createReadStream(flags.input) : process.stdin;
    await client.loadImages(archive, { quiet: flags.quiet }, (message) => {
      if (message.stream) process.stdout.write(message.stream);
      else if (message.status && !flags.quiet) process.stdout.write(`${message.status}${message.id ? ` ${message.id}` : ''}\n`);
    });
  }
}
