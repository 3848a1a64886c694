// SPDX-License-Identifier: Apache-2.0
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposePull extends ComposeEngineCommand {
  static override summary = 'Pull the images of the services';
  static override strict = false;
  static override usage = 'compose pull [OPTIONS] [SERVICE...]';

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposePull);
    await this.converger(await this.loadProject(flags), flags).pull(argv as string[]);
  }
}
