// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { EngineCommand } from '../engine-command.js';

export default class Start extends EngineCommand {
  static override summary = 'Start one or more stopped containers';
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Start);
    const client = await this.connect(flags);
    await this.forEachTarget(argv as string[], async (container) => {
      await client.startContainer(container);
      this.log(container);
    });
  }
}
