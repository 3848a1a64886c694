// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { exitOrDetach, streamAttached } from '@tsc-engine/core/client';

export default class Attach extends EngineCommand {
  static override summary = "Attach this terminal's stdin, stdout and stderr to a running container";
  static override examples = ['<%= config.bin %> attach web', '<%= config.bin %> attach --detach-keys ctrl-x web'];
  static override flags = {
    'no-stdin': Flags.boolean({ description: 'do not attach stdin' }),
    'detach-keys': Flags.string({ description: 'key sequence for detaching (default ctrl-p,ctrl-q)' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id' }) };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Attach);
    const client = await this.connect(flags);
    const { Id, Config, State } = await client.inspectContainer(args.container);
    if (!State.Running) this.error('You cannot attach to a stopped container, start it first', { exit: 1 });
    const stdin = Config.OpenStdin === true && !flags['no-stdin'];
    const tty = Config.Tty === true;
    const exit = client.waitContainer(Id, 'not-running');
    const connection = await client.attachContainer(Id, { stdin, detachKeys: flags['detach-keys'] });
    await streamAttached(connection, { tty, stdin, resize: (size) => client.resizeContainer(Id, size) });
    const result = await exitOrDetach(client, Id, exit.result);
    // As docker's CLI: the container's status once it has exited, 0 after a detach.
    if (result !== 'detached' && result.StatusCode !== 0) this.exit(result.StatusCode);
  }
}
