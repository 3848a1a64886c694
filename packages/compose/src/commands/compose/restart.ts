// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeRestart extends ComposeEngineCommand {
  static override summary = 'Restart the containers of the services, dependencies first';
  static override strict = false;
  static override usage = 'compose restart [OPTIONS] [SERVICE...]';
  static override flags = {
    timeout: Flags.integer({ char: 't', description: 'seconds to wait for each container to stop before killing it', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeRestart);
    const services = argv as string[];
    await this.changeProject(await this.loadProject(flags), flags, 'restart', { services, desired: 'running' }, (converger) => converger.restart(services, flags.timeout));
  }
}
