// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeStop extends ComposeEngineCommand {
  static override summary = 'Stop the running containers of the services, dependents first';
  static override strict = false;
  static override usage = 'compose stop [OPTIONS] [SERVICE...]';
  static override flags = {
    timeout: Flags.integer({ char: 't', description: 'seconds to wait for each container to stop before killing it', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeStop);
    const services = argv as string[];
    await this.changeProject(await this.loadProject(flags), flags, 'stop', { services, desired: 'stopped' }, (converger) => converger.stop(services, flags.timeout));
  }
}
