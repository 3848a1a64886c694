// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { confirmPrompt } from '../../confirm-prompt.js';
import { EngineCommand } from '../../engine-command.js';
import { parseFilterFlags } from '../../filter-flags.js';
import { humanSize } from '../../format/human-size.js';

export default class VolumePrune extends EngineCommand {
  static override summary = 'Remove unused volumes (anonymous ones only, unless --all)';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'remove all unused volumes, not just anonymous ones' }),
    filter: Flags.string({ multiple: true, multipleNonGreedy: true, description: "provide filter values (e.g. 'label=<label>')" }),
    force: Flags.boolean({ char: 'f', description: 'do not prompt for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(VolumePrune);
    const filters = parseFilterFlags(flags.filter);
    // Sent always, so the daemon prunes what the user was warned about whatever API version it assumes.
    filters.all = [String(flags.all === true)];
    const warning = flags.all ? 'all local volumes not used by at least one container' : 'anonymous local volumes not used by at least one container';
    if (!flags.force && !(await confirmPrompt(`WARNING! This will remove ${warning}.\nAre you sure you want to continue? [y/N] `))) return;
    const client = await this.connect(flags);
    const result = await client.pruneVolumes({ filters });
    if (result.VolumesDeleted?.length) this.log(`Deleted Volumes:\n${result.VolumesDeleted.join('\n')}\n`);
    this.log(`Total reclaimed space: ${humanSize(result.SpaceReclaimed)}`);
  }
}
