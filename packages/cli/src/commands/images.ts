// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { parseFilterFlags } from '../filter-flags.js';
import { imageListFormat, imageListWithDigestsFormat, imageRows } from '../format/image-list-format.js';
import { renderList } from '../format/list-output.js';

export default class Images extends EngineCommand {
  static override summary = 'List images';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'show all images (default hides intermediate images)' }),
    quiet: Flags.boolean({ char: 'q', description: 'only show image ids' }),
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.Repository}}'" }),
    'no-trunc': Flags.boolean({ description: "don't truncate output" }),
    digests: Flags.boolean({ description: 'show digests' }),
    filter: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      description: "filter output based on conditions provided (dangling=true|false, label=<key>[=<value>], reference=<glob>, until=<time>)",
    }),
  };

  static override args = { repository: Args.string({ description: 'only images of this repository (REPOSITORY[:TAG])' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Images);
    const client = await this.connect(flags);
    const filters = parseFilterFlags(flags.filter);
    // As docker's CLI: the argument is a reference filter.
    if (args.repository) (filters.reference ??= []).push(args.repository);
    const rows = imageRows(await client.listImages({ all: flags.all, filters }), { truncate: !flags['no-trunc'] });
    if (flags.quiet) {
      // An image with several tags is still one image.
      process.stdout.write([...new Set(rows.map((row) => row.ID))].map((id) => `${id}\n`).join(''));
      return;
    }
    process.stdout.write(renderList(rows, flags.digests ? imageListWithDigestsFormat : imageListFormat, flags.format));
  }
}
