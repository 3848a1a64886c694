// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';

export default class ComposeWait extends ComposeEngineCommand {
  static override summary = 'Wait for the first container of the services to stop, and print its exit code';
  static override strict = false;
  static override usage = 'compose wait [OPTIONS] SERVICE...';
  static override flags = {
    'down-project': Flags.boolean({ description: 'then take the whole project down' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeWait);
    const project = await this.loadProject(flags);
    const client = this.connect(flags);
    const containers = ofServices(await listProjectContainers(client, project.name), argv as string[]);
    if (containers.length === 0) return;
    const code = await Promise.race(containers.map((c) => client.waitContainer(c.id, 'not-running').result.then((r) => r.StatusCode)));
    process.stdout.write(`${code}\n`);
    if (flags['down-project']) await this.converger(project, flags).down();
    process.exitCode = code;
  }
}
