// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../../engine-command.js';
import { parseFilterFlags } from '../../filter-flags.js';
import { renderList } from '../../format/list-output.js';
import { networkListFormat, networkRow } from '../../format/network-list-format.js';

export default class NetworkLs extends EngineCommand {
  static override summary = 'List networks';
  static override aliases = ['network:list'];
  static override flags = {
    quiet: Flags.boolean({ char: 'q', description: 'only display network ids' }),
    'no-trunc': Flags.boolean({ description: 'do not truncate the output' }),
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.Name}}'" }),
    filter: Flags.string({ char: 'f', multiple: true, multipleNonGreedy: true, description: 'filter output (name=x, id=x, driver=bridge, type=custom|builtin, label=k=v)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkLs);
    const client = await this.connect(flags);
    const networks = await client.listNetworks({ filters: parseFilterFlags(flags.filter) });
    const rows = networks.map((n) => ({ ...networkRow(n), ...(flags['no-trunc'] ? { ID: n.Id } : {}) }));
    process.stdout.write(renderList(rows, networkListFormat, flags.quiet ? '{{.ID}}' : flags.format));
  }
}
