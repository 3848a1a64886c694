// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { exitOrDetach, streamAttached } from '@tsc-engine/core/client';

export default class Start extends EngineCommand {
  static override summary = 'Start one or more stopped containers';
  static override examples = ['<%= config.bin %> start web', '<%= config.bin %> start -ai shell'];
  static override flags = {
    attach: Flags.boolean({ char: 'a', description: "attach stdout and stderr, and exit with the container's status" }),
    interactive: Flags.boolean({ char: 'i', description: "attach the container's stdin" }),
    'detach-keys': Flags.string({ description: 'key sequence for detaching (default ctrl-p,ctrl-q)' }),
  };
  static override args = { container: Args.string({ required: true, description: 'container name or id (several may follow)' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Start);
    const client = await this.connect(flags);
    const targets = argv as string[];
    if (!flags.attach && !flags.interactive) {
      await this.forEachTarget(targets, async (container) => {
        await client.startContainer(container);
        this.log(container);
      });
      return;
    }
    if (targets.length > 1) this.error('you cannot start and attach multiple containers at once', { exit: 1 });
    // As docker start -a: attach first, so the output from the very start is seen, then start.
    const { Id, Config } = await client.inspectContainer(targets[0]);
    const stdin = flags.interactive && Config.OpenStdin === true;
    const tty = Config.Tty === true;
    const connection = await client.attachContainer(Id, { stdin, detachKeys: flags['detach-keys'] });
    const exit = client.waitContainer(Id, 'next-exit');
    try {
      await exit.registered;
      await client.startContainer(Id);
    } catch (error) {
      connection.destroy();
      throw error;
    }
    await streamAttached(connection, { tty, stdin, resize: (size) => client.resizeContainer(Id, size) });
    const result = await exitOrDetach(client, Id, exit.result);
    if (result !== 'detached' && result.StatusCode !== 0) this.exit(result.StatusCode);
  }
}
