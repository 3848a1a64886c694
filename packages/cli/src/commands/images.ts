// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { imageListFormat, imageRows } from '../format/image-list-format.js';
import { renderList } from '../format/list-output.js';

export default class Images extends EngineCommand {
  static override summary = 'List images';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'show all images (default hides intermediate images)' }),
    quiet: Flags.boolean({ char: 'q', description: 'only show image ids' }),
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.Repository}}'" }),
    'no-trunc': Flags.boolean({ description: "don't truncate output" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Images);
    const client = await this.connect(flags);
    const rows = imageRows(await client.listImages({ all: flags.all }), { truncate: !flags['no-trunc'] });
    if (flags.quiet) {
      // An image with several tags is still one image.
      process.stdout.write([...new Set(rows.map((row) => row.ID))].map((id) => `${id}\n`).join(''));
      return;
    }
    process.stdout.write(renderList(rows, imageListFormat, flags.format));
  }
}
