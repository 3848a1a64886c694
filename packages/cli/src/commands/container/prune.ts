// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { confirmPrompt } from '../../confirm-prompt.js';
import { EngineCommand } from '../../engine-command.js';
import { parseFilterFlags } from '../../filter-flags.js';
import { humanSize } from '../../format/human-size.js';

export default class ContainerPrune extends EngineCommand {
  static override summary = 'Remove all stopped containers';
  static override flags = {
    filter: Flags.string({ multiple: true, multipleNonGreedy: true, description: "provide filter values (e.g. 'until=<timestamp>', 'label=<label>')" }),
    force: Flags.boolean({ char: 'f', description: 'do not prompt for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ContainerPrune);
    const warning = 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ';
    if (!flags.force && !(await confirmPrompt(warning))) return;
    const client = await this.connect(flags);
    const result = await client.pruneContainers({ filters: parseFilterFlags(flags.filter) });
    if (result.ContainersDeleted?.length) this.log(`Deleted Containers:\n${result.ContainersDeleted.join('\n')}\n`);
    this.log(`Total reclaimed space: ${humanSize(result.SpaceReclaimed)}`);
  }
}
