// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { ComposeEngineCommand } from '../../compose-engine-command.js';

export default class ComposeRm extends ComposeEngineCommand {
  static override summary = 'Remove the stopped containers of the services';
  static override description = 'Running containers are left alone unless --stop is given. Asks no confirmation: --force is accepted for docker compose scripts.';
  static override strict = false;
  static override usage = 'compose rm [OPTIONS] [SERVICE...]';
  static override flags = {
    // No -f: the project flags own it (`-f FILE`), as they do before the command in docker compose.
    force: Flags.boolean({ description: 'do not ask for confirmation (never asked)' }),
    stop: Flags.boolean({ char: 's', description: 'stop running containers first, then remove them' }),
    volumes: Flags.boolean({ char: 'v', description: 'remove the anonymous volumes of the containers too' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeRm);
    const services = argv as string[];
    await this.changeProject(await this.loadProject(flags), flags, 'rm', { services, desired: 'removed' }, (converger) =>
      converger.remove(services, { stop: flags.stop, volumes: flags.volumes }),
    );
  }
}
