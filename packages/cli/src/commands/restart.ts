// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Restart extends EngineCommand {
  static override summary = 'Restart one or more containers';
  static override flags = {
    time: Flags.integer({ char: 't', description: 'seconds to wait for the stop before killing the container' }),
    signal: Flags.string({ char: 's', description: 'signal to stop the container with' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Restart);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.restartContainer(container, { timeout: flags.time, signal: flags.signal });
      this.log(container);
    });
  }
}
