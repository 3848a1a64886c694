// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { renderTable } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';

export default class Top extends EngineCommand {
  static override summary = 'Display the running processes of a container';
  static override description = 'Arguments after the container are passed to ps (default: the columns of ps -ef).';
  static override args = { container: Args.string({ required: true, description: 'container name or id' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, args, argv } = await this.parse(Top);
    const client = await this.connect(flags);
    const top = await client.topContainer(args.container, (argv as string[]).slice(1).join(' '));
    process.stdout.write(renderTable([top.Titles, ...top.Processes]));
  }
}
