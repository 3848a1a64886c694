// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { runAttached, splitAtOperand } from '@tsc-engine/core/client';
import { buildCreateRequest, containerCreateFlags } from '../container-create-flags.js';
import { createContainerPulling } from '../create-container.js';
import { ContainerLaunchCommand } from '../container-launch-command.js';

export default class Run extends ContainerLaunchCommand {
  static override summary = 'Create and run a new container from an image';
  static override usage = 'run [FLAGS] IMAGE [COMMAND] [ARG...]';
  static override examples = ['<%= config.bin %> run --rm busybox echo hello', '<%= config.bin %> run -d --name web nginx'];
  static override flags = {
    ...containerCreateFlags,
    detach: Flags.boolean({ char: 'd', description: 'run the container in the background and print its id' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image to run' }) };
  // The container's command and its flags are cut off before parsing (see splitAtOperand).
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtOperand(this.argv, { ...Run.baseFlags, ...Run.flags });
    const { flags, args } = await this.parse(Run, own);
    const client = await this.connect(flags);
    const request = await buildCreateRequest(flags, args.image, command, { attach: !flags.detach });
    const id = await createContainerPulling(client, request, flags.name);
    if (flags.detach) {
      await client.startContainer(id);
      this.log(id);
      return;
    }
    const status = await runAttached(client, id, {
      autoRemove: flags.rm === true,
      tty: flags.tty === true,
      interactive: flags.interactive === true,
    });
    if (status !== 0) this.exit(status);
  }
}
