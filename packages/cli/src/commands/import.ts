// SPDX-License-Identifier: Apache-2.0
import { open } from 'node:fs/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError, NotImplementedError } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Import extends EngineCommand {
  static override summary = 'Import the contents from a tarball to create a filesystem image';
  static override aliases = ['image:import'];
  static override flags = {
    change: Flags.string({
      char: 'c',
      multiple: true,
      multipleNonGreedy: true,
      description: 'apply a Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)',
    }),
    message: Flags.string({ char: 'm', description: 'set commit message for imported image' }),
    platform: Flags.string({ description: 'set platform (os/arch[/variant]) if server is multi-platform capable' }),
  };
  static override args = {
    file: Args.string({ required: true, description: 'a tar archive (plain, gzip or zstd), or - for STDIN' }),
    reference: Args.string({ description: 'REPOSITORY[:TAG] to name the image' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Import);
    if (/^https?:\/\//.test(args.file)) {
      throw new NotImplementedError(`import from ${args.file}: the engine does not download archives`, {
        hint: 'download it yourself, then import the file or pipe it to `import -`',
      });
    }
    if (args.file === '-' && process.stdin.isTTY) {
      throw new InvalidArgumentError('requested import from stdin, but stdin is a terminal', { hint: 'pipe a tar archive in, or name a file' });
    }
    // Opened first, so a missing file fails before the daemon is asked anything.
    const archive = args.file === '-' ? process.stdin : (await openArchive(args.file)).createReadStream();
    const client = await this.connect(flags);
    const id = await client.importImage(archive, {
      reference: args.reference,
      message: flags.message,
      changes: flags.change,
      platform: flags.platform,
    });
    process.stdout.write(`${id}\n`);
  }
}

async function openArchive(path: string): ReturnType<typeof open> {
  try {
    return await open(path, 'r');
  } catch (cause) {
    throw new InvalidArgumentError(`open ${path}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (cause as Error).message}`, { cause });
  }
}
