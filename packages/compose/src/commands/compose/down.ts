// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeDown extends ComposeEngineCommand {
  static override summary = 'Stop and remove the containers and networks of the project';
  static override description =
    'Stops and removes the containers of the project (dependents first), then its networks; with --volumes its named ' +
    'volumes too. External networks and volumes are never removed.';
  static override flags = {
    volumes: Flags.boolean({ char: 'v', description: 'remove the named volumes of the project too' }),
    'remove-orphans': Flags.boolean({ description: 'remove containers of services not in the compose files' }),
    timeout: Flags.integer({ char: 't', description: 'seconds to wait for each container to stop before killing it', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeDown);
    const project = await this.loadProject(flags);
    await this.changeProject(project, flags, 'down', { services: [], desired: 'removed' }, (converger) =>
      converger.down({ volumes: flags.volumes, removeOrphans: flags['remove-orphans'], timeout: flags.timeout }),
    );
  }
}
