// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError } from '@tsc-engine/core/client';
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
    if (!flags.output && process.stdout.isTTY) {
      throw new InvalidArgumentError('cowardly refusing to save to a terminal', { hint: 'use the -o flag or redirect' });
    }
    const client = await this.connect(flags);
    const archive = await client.saveImages(argv as string[]);
    if (!flags.output) {
      await pipeline(archive, process.stdout);
      return;
    }
    // As docker's CLI does: a temporary file renamed into place, so a failed save leaves nothing under the name.
    const temp = `${flags.output}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await pipeline(archive, createWriteStream(temp, { mode: 0o600 }));
      await rename(temp, flags.output);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
