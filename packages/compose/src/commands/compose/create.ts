// SPDX-License-Identifier: Apache-2.0
import { ComposeEngineCommand } from '../../compose-engine-command.js';
import { convergeFlags, convergeOptionsOf } from '../../converge-flags.js';

export default class ComposeCreate extends ComposeEngineCommand {
  static override summary = 'Create the containers of the project without starting them';
  static override strict = false;
  static override usage = 'compose create [OPTIONS] [SERVICE...]';
  static override flags = convergeFlags;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeCreate);
    const options = convergeOptionsOf(flags, argv as string[]);
    await this.changeProject(await this.loadProject(flags), flags, 'create', { services: options.services, desired: 'created', scale: options.scale }, (converger) =>
      converger.create(options),
    );
  }
}
