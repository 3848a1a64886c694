// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { confirmPrompt } from '../../confirm-prompt.js';
import { EngineCommand } from '../../engine-command.js';
import { parseFilterFlags } from '../../filter-flags.js';
import { humanSize } from '../../format/human-size.js';

export default class ImagePrune extends EngineCommand {
  static override summary = 'Remove unused images (dangling ones only, unless --all)';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'remove all unused images, not just dangling ones' }),
    filter: Flags.string({ multiple: true, multipleNonGreedy: true, description: "provide filter values (e.g. 'until=<timestamp>')" }),
    force: Flags.boolean({ char: 'f', description: 'do not prompt for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImagePrune);
    const filters = parseFilterFlags(flags.filter);
    if (flags.all) filters.dangling = ['false'];
    const warning = flags.all ? 'all images without at least one container associated to them' : 'all dangling images';
    if (!flags.force && !(await confirmPrompt(`WARNING! This will remove ${warning}.\nAre you sure you want to continue? [y/N] `))) return;
    const client = await this.connect(flags);
    const result = await client.pruneImages({ filters });
    const deleted = result.ImagesDeleted ?? [];
    if (deleted.length) {
      const lines = deleted.map((item) => ('Untagged' in item ? `untagged: ${item.Untagged}` : `deleted: ${item.Deleted}`));
      this.log(`Deleted Images:\n${lines.join('\n')}\n`);
    }
    this.log(`Total reclaimed space: ${humanSize(result.SpaceReclaimed)}`);
  }
}
