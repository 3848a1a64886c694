// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { pipeLogs } from '../pipe-logs.js';

export default class Logs extends EngineCommand {
  static override summary = "Fetch a container's output";
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'follow the output' }),
    tail: Flags.string({ char: 'n', description: 'number of lines to show from the end ("all" for every line)', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'show timestamps' }),
    since: Flags.string({ description: 'show logs since a time (RFC 3339 or Unix seconds)' }),
    until: Flags.string({ description: 'show logs before a time (RFC 3339 or Unix seconds)' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Logs);
    const client = await this.connect(flags);
    await pipeLogs(
      client.containerLogs(args.container, {
        follow: flags.follow,
        tail: flags.tail,
        timestamps: flags.timestamps,
        since: flags.since,
        until: flags.until,
      }),
    );
  }
}
