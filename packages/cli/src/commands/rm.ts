// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Rm extends EngineCommand {
  static override summary = 'Remove one or more containers';
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'kill and remove a running container' }),
    volumes: Flags.boolean({ char: 'v', description: 'remove anonymous volumes of the container' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Rm);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.removeContainer(container, { force: flags.force, volumes: flags.volumes });
      this.log(container);
    });
  }
}
