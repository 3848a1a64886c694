// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { ComposeCommand } from '../../compose-command.js';
import { splitAtCommand } from '../../split-at-command.js';

/**
 * `tsc-engine compose [project flags] <command> …`: docker compose puts the project flags before the command,
 * where oclif cannot see them, so this command finds the subcommand and runs it with those flags moved after it.
 */
export default class Compose extends ComposeCommand {
  static override summary = 'Define and run multi-container applications from a compose file';
  static override usage = 'compose [-f FILE…] [-p NAME] [--project-directory DIR] [--profile P…] [--env-file F…] COMMAND';
  static override strict = false;

  async run(): Promise<void> {
    const { leading, command, rest } = splitAtCommand(this.argv);
    if (command === undefined) {
      const { loadHelpClass } = await import('@oclif/core/help');
      const Help = await loadHelpClass(this.config);
      await new Help(this.config).showHelp(['compose']);
      return;
    }
    const id = `compose:${command}`;
    if (!this.config.findCommand(id)) {
      throw new InvalidArgumentError(`unknown compose command "${command}"`, { hint: 'see tsc-engine compose --help' });
    }
    await this.config.runCommand(id, [...leading, ...rest]);
  }
}
