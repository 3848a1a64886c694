// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { ComposeLabel } from '../../convergence/compose-labels.js';
import { formatTable } from '../../project-ps.js';
import { PROJECT_PREFIX, type ProjectRecord } from '../../state/project-records.js';

interface ProjectListing {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

export default class ComposeLs extends ComposeEngineCommand {
  static override summary = 'List the compose projects on the engine';
  static override description =
    'Projects are found from the labels of their containers; no compose file is read. With --all, projects the state ' +
    'store knows of but that have no container (a failed or interrupted up) are listed too, with their last status.';
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'show projects with no running container too' }),
    format: Flags.string({ description: 'table or json', options: ['table', 'json'], default: 'table' }),
    quiet: Flags.boolean({ char: 'q', description: 'only the project names' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeLs);
    const containers = await this.connect(flags).listContainers({ all: true, filters: { label: [ComposeLabel.project] } });
    const byProject = new Map<string, { states: Map<string, number>; files: string }>();
    for (const c of containers) {
      const name = c.Labels[ComposeLabel.project];
      const entry = byProject.get(name) ?? { states: new Map(), files: c.Labels[ComposeLabel.configFiles] ?? '' };
      entry.states.set(c.State, (entry.states.get(c.State) ?? 0) + 1);
      byProject.set(name, entry);
    }
    const listings: ProjectListing[] = [...byProject]
      .filter(([, { states }]) => flags.all || states.has('running'))
      .map(([name, { states, files }]) => ({
        Name: name,
        // docker compose's summary: `running(2)`, `exited(1), running(1)`.
        Status: [...states].sort(([a], [b]) => a.localeCompare(b)).map(([state, n]) => `${state}(${n})`).join(', '),
        ConfigFiles: files,
      }));
    if (flags.all) {
      const backend = await this.stateBackend(flags);
      for (const { value: record } of await backend.store.list<ProjectRecord>({ prefix: PROJECT_PREFIX })) {
        if (byProject.has(record.name)) continue;
        listings.push({ Name: record.name, Status: `${record.status}(state store)`, ConfigFiles: record.configFiles.join(',') });
      }
    }
    listings.sort((a, b) => a.Name.localeCompare(b.Name));
    if (flags.quiet) process.stdout.write(listings.map((l) => `${l.Name}\n`).join(''));
    else if (flags.format === 'json') process.stdout.write(`${JSON.stringify(listings)}\n`);
    else process.stdout.write(formatTable(['NAME', 'STATUS', 'CONFIG FILES'], listings.map((l) => [l.Name, l.Status, l.ConfigFiles])));
  }
}
