// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Stop extends EngineCommand {
  static override summary = 'Stop one or more running containers';
  static override flags = {
    time: Flags.integer({ char: 't', description: 'seconds to wait before killing the container' }),
    signal: Flags.string({ char: 's', description: 'signal to send first (default: the container\'s stop signal)' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Stop);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.stopContainer(container, { timeout: flags.time, signal: flags.signal });
      this.log(container);
    });
  }
}
