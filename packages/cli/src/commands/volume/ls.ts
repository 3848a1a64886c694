// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { parseFilterFlags } from '../../filter-flags.js';
import { renderList } from '../../format/list-output.js';
import { volumeListFormat, volumeRow } from '../../format/volume-list-format.js';

export default class VolumeLs extends EngineCommand {
  static override summary = 'List volumes';
  static override aliases = ['volume:list'];
  static override flags = {
    quiet: Flags.boolean({ char: 'q', description: 'only display volume names' }),
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.Name}}'" }),
    filter: Flags.string({ char: 'f', multiple: true, multipleNonGreedy: true, description: 'filter output (dangling=true, label=k=v, name=x, driver=local)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(VolumeLs);
    const client = await this.connect(flags);
    const { Volumes } = await client.listVolumes({ filters: parseFilterFlags(flags.filter) });
    process.stdout.write(renderList(Volumes.map(volumeRow), volumeListFormat, flags.quiet ? '{{.Name}}' : flags.format));
  }
}
