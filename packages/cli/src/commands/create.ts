// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import { splitAtOperand } from '@tsc-engine/core/client';
import { buildCreateRequest, containerCreateFlags } from '../container-create-flags.js';
import { createContainerPulling } from '../create-container.js';
import { ContainerLaunchCommand } from '../container-launch-command.js';

export default class Create extends ContainerLaunchCommand {
  static override summary = 'Create a new container, pulling its image if needed, and print its id';
  static override usage = 'create [FLAGS] IMAGE [COMMAND] [ARG...]';
  static override flags = containerCreateFlags;
  static override args = { image: Args.string({ required: true, description: 'image to create the container from' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtOperand(this.argv, { ...Create.baseFlags, ...Create.flags });
    const { flags, args } = await this.parse(Create, own);
    const client = await this.connect(flags);
    const request = await buildCreateRequest(flags, args.image, command, { attach: false });
    this.log(await createContainerPulling(client, request, flags.name));
  }
}
