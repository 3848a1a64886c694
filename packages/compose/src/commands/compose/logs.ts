// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { listProjectContainers, ofServices } from '../../convergence/project-containers.js';
import { printProjectLogs } from '../../convergence/project-logs.js';
import { followServiceLogs } from '../../convergence/service-log-follower.js';

export default class ComposeLogs extends ComposeEngineCommand {
  static override summary = 'Print the logs of the services';
  static override description = 'Lines of every container, interleaved as they come, each prefixed with its service and replica (web-1 | …).';
  static override strict = false;
  static override usage = 'compose logs [OPTIONS] [SERVICE...]';
  // `-f` is --follow here, as in docker compose; the project's files reach this command as --file (splitAtCommand).
  static override baseFlags: typeof ComposeEngineCommand.baseFlags = {
    ...ComposeEngineCommand.baseFlags,
    file: { ...ComposeEngineCommand.baseFlags.file, char: undefined },
  };
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines, across restarts and recreation of the containers (Ctrl-C to leave)' }),
    tail: Flags.string({ char: 'n', description: 'lines from the end of each log, or all', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'show timestamps' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeLogs);
    const project = await this.loadProject(flags);
    const client = this.connect(flags);
    const interrupted = new AbortController();
    const onSignal = (): void => interrupted.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if (flags.follow) {
        // The store only makes following prompter; without it the engine is asked every few seconds.
        const events = (await this.stateBackend(flags).catch(() => undefined))?.events;
        const options = { tail: flags.tail, timestamps: flags.timestamps };
        await followServiceLogs(client, events, project.name, argv as string[], options, process, interrupted.signal);
      } else {
        const containers = ofServices(await listProjectContainers(client, project.name), argv as string[]);
        await printProjectLogs(client, project.name, containers, { tail: flags.tail, timestamps: flags.timestamps }, process, interrupted.signal);
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}
