// SPDX-License-Identifier: Apache-2.0
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';
import { formatTopTable } from '../../project-top.js';

export default class ComposeTop extends ComposeEngineCommand {
  static override summary = 'Display the running processes of the containers';
  static override description = 'One table for the running containers of the services (all when none given), one-off `run` containers included.';
  static override strict = false;
  static override usage = 'compose top [SERVICE...]';

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeTop);
    const project = await this.loadProject(flags);
    const client = this.connect(flags);
    const running = ofServices(await listProjectContainers(client, project.name, { all: false, oneOff: true }), argv as string[]);
    running.sort((a, b) => a.name.localeCompare(b.name));
    const tops = await Promise.all(running.map((c) => client.topContainer(c.id)));
    process.stdout.write(
      formatTopTable(
        running.map((c, i) => ({
          service: c.service,
          replica: String(c.number),
          titles: tops[i].Titles,
          processes: tops[i].Processes,
        })),
      ),
    );
  }
}
