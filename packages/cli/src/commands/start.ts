// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineCommand } from '../engine-command.js';
import { runAttached } from '@tsc-engine/core/client';

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
    const { Id, Config, HostConfig } = await client.inspectContainer(targets[0]);
    const status = await runAttached(client, Id, {
      // As docker start -a on a container created with --rm: done once the container is gone.
      autoRemove: HostConfig.AutoRemove === true,
      tty: Config.Tty === true,
      interactive: flags.interactive && Config.OpenStdin === true,
      detachKeys: flags['detach-keys'],
    });
    if (status !== 0) this.exit(status);
  }
}
