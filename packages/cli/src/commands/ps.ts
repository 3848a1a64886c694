// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { containerListFormat, containerRow } from '../format/container-list-format.js';
import { renderList } from '../format/list-output.js';

export default class Ps extends EngineCommand {
  static override summary = 'List containers';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'show all containers (default shows just running)' }),
    quiet: Flags.boolean({ char: 'q', description: 'only display container ids' }),
    format: Flags.string({ description: "'table', 'json', 'table TEMPLATE' or a Go template such as '{{.ID}}'" }),
    filter: Flags.string({ char: 'f', multiple: true, multipleNonGreedy: true, description: 'filter output (label=k=v, name=x, status=exited, …)' }),
    'no-trunc': Flags.boolean({ description: "don't truncate output" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Ps);
    const client = await this.connect(flags);
    const filters: Record<string, string[]> = {};
    for (const filter of flags.filter ?? []) {
      const equals = filter.indexOf('=');
      if (equals <= 0) throw new InvalidArgumentError(`bad format of filter (expected name=value): ${filter}`);
      (filters[filter.slice(0, equals)] ??= []).push(filter.slice(equals + 1));
    }
    const containers = await client.listContainers({ all: flags.all, filters });
    const rows = containers.map((container) => containerRow(container, { truncate: !flags['no-trunc'] }));
    process.stdout.write(renderList(rows, containerListFormat, flags.quiet ? '{{.ID}}' : flags.format));
  }
}
