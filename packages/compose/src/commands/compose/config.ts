// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { stringify } from 'yaml';
import { ComposeCommand } from '../../compose-command.js';
import { toConfigDocument } from '../../config-document.js';

export default class ComposeConfig extends ComposeCommand {
  static override summary = 'Validate the compose files and print the normalised project';
  static override description =
    'Loads the project as every compose command does (files merged, variables interpolated, extends/include/profiles ' +
    'applied, short syntaxes expanded) and prints it as YAML in the shape of docker compose config.';
  static override flags = {
    services: Flags.boolean({ description: 'print only the service names, one a line' }),
    quiet: Flags.boolean({ char: 'q', description: 'only validate, print nothing' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeConfig);
    const project = await this.loadProject(flags);
    if (flags.quiet) return;
    if (flags.services) {
      process.stdout.write(Object.keys(project.services).map((name) => `${name}\n`).join(''));
      return;
    }
    process.stdout.write(stringify(toConfigDocument(project), { lineWidth: 0, aliasDuplicateObjects: false }));
  }
}
