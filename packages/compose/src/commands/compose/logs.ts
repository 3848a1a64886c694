// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';
import { printProjectLogs } from '../../convergence/project-logs.js';

export default class ComposeLogs extends ComposeEngineCommand {
  static override summary = 'Print the logs of the services';
  static override description = 'Lines of every container, interleaved as they come, each prefixed with its service and replica (web-1 | …).';
  static override strict = false;
  static override usage = 'compose logs [OPTIONS] [SERVICE...]';
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines until the containers stop (Ctrl-C to leave)' }),
    tail: Flags.string({ char: 'n', description: 'lines from the end of each log, or all', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'show timestamps' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeLogs);
    const project = await this.loadProject(flags);
    const client = this.connect(flags);
    const containers = ofServices(await listProjectContainers(client, project.name), argv as string[]);
    const interrupted = new AbortController();
    const onSignal = (): void => interrupted.abort();
    process.once('SIGINT', onSignal);
    try {
      await printProjectLogs(client, project.name, containers, { follow: flags.follow, tail: flags.tail, timestamps: flags.timestamps }, process, interrupted.signal);
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
  }
}
