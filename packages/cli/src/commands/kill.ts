// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';

export default class Kill extends EngineCommand {
  static override summary = 'Send a signal (default SIGKILL) to one or more running containers';
  static override flags = { signal: Flags.string({ char: 's', description: 'signal to send, by name or number [default: SIGKILL]' }) };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Kill);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.killContainer(container, { signal: flags.signal });
      this.log(container);
    });
  }
}
