// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../engine-command.js';

export default class Wait extends EngineCommand {
  static override summary = 'Block until one or more containers stop, then print their exit codes';
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Wait);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      const { StatusCode } = await client.waitContainer(container, 'not-running').result;
      this.log(String(StatusCode));
    });
  }
}
