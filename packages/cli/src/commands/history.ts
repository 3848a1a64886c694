// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { imageHistoryExactFormat, imageHistoryFormat, imageHistoryRows } from '../format/image-history-format.js';
import { renderList } from '../format/list-output.js';

export default class History extends EngineCommand {
  static override summary = 'Show the history of an image';
  static override aliases = ['image:history'];
  static override flags = {
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.ID}}'" }),
    human: Flags.boolean({ char: 'H', default: true, allowNo: true, description: 'print sizes and dates in human readable format' }),
    'no-trunc': Flags.boolean({ description: "don't truncate output" }),
    quiet: Flags.boolean({ char: 'q', description: 'only show image ids' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image name or id' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(History);
    const client = await this.connect(flags);
    const rows = imageHistoryRows(await client.imageHistory(args.image), { truncate: !flags['no-trunc'], human: flags.human });
    if (flags.quiet) {
      process.stdout.write(rows.map((row) => `${row.ID}\n`).join(''));
      return;
    }
    process.stdout.write(renderList(rows, flags.human ? imageHistoryFormat : imageHistoryExactFormat, flags.format));
  }
}
