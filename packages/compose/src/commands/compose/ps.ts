// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';
import { formatTable, toPsEntry } from '../../project-ps.js';

export default class ComposePs extends ComposeEngineCommand {
  static override summary = 'List the containers of the project';
  static override strict = false;
  static override usage = 'compose ps [OPTIONS] [SERVICE...]';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'show stopped containers, and one-off `run` containers, too' }),
    format: Flags.string({ description: 'table, or json: one JSON object a line', options: ['table', 'json'], default: 'table' }),
    quiet: Flags.boolean({ char: 'q', description: 'only the container ids' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposePs);
    const project = await this.loadProject(flags);
    const containers = ofServices(await listProjectContainers(this.connect(flags), project.name, { all: flags.all === true, oneOff: flags.all }), argv as string[]);
    if (flags.quiet) {
      process.stdout.write(containers.map((c) => `${c.id}\n`).join(''));
      return;
    }
    const entries = containers.map((c) => toPsEntry(c));
    if (flags.format === 'json') {
      process.stdout.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      return;
    }
    process.stdout.write(
      formatTable(
        ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
        entries.map((e) => [e.Name, e.Image, JSON.stringify(e.Command.length > 20 ? `${e.Command.slice(0, 19)}…` : e.Command), e.Service, e.RunningFor, e.Status, e.Ports]),
      ),
    );
  }
}
