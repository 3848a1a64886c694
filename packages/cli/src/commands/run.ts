// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineError, type EngineClient } from '@tsc-engine/core/client';
import { buildCreateRequest, containerCreateFlags } from '../container-create-flags.js';
import { createContainerPulling } from '../create-container.js';
import { ContainerLaunchCommand } from '../container-launch-command.js';
import { exitOrDetach, streamAttached } from '../attached-stdio.js';
import { splitAtImage } from '../split-at-image.js';

export default class Run extends ContainerLaunchCommand {
  static override summary = 'Create and run a new container from an image';
  static override usage = 'run [FLAGS] IMAGE [COMMAND] [ARG...]';
  static override examples = ['<%= config.bin %> run --rm busybox echo hello', '<%= config.bin %> run -d --name web nginx'];
  static override flags = {
    ...containerCreateFlags,
    detach: Flags.boolean({ char: 'd', description: 'run the container in the background and print its id' }),
  };
  static override args = { image: Args.string({ required: true, description: 'image to run' }) };
  // The container's command and its flags are cut off before parsing (see splitAtImage).
  static override strict = false;

  async run(): Promise<void> {
    const { own, command } = splitAtImage(this.argv, { ...Run.baseFlags, ...Run.flags });
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

/**
 * Docker's attached run: attach, register the wait, start, stream until the container exits (or the user detaches)
 * and return the exit status. The attach comes first: the daemon connects it before the container's process runs,
 * so no output is lost.
 */
async function runAttached(client: EngineClient, id: string, options: { autoRemove: boolean; tty: boolean; interactive: boolean }): Promise<number> {
  const connection = await client.attachContainer(id, { stdin: options.interactive });
  const wait = client.waitContainer(id, options.autoRemove ? 'removed' : 'next-exit');
  // With a terminal, ctrl-c reaches the container through it; without, signals are forwarded as docker's --sig-proxy.
  const forward = (signal: NodeJS.Signals) => void client.killContainer(id, { signal }).catch(() => undefined);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  try {
    try {
      await wait.registered;
      await client.startContainer(id);
    } catch (error) {
      connection.destroy();
      throw error;
    }
    await streamAttached(connection, {
      tty: options.tty,
      stdin: options.interactive,
      resize: (size) => client.resizeContainer(id, size),
    });
    const result = await exitOrDetach(client, id, wait.result);
    if (result === 'detached') return 0;
    if (result.Error?.Message) throw new EngineError('internal', result.Error.Message);
    return result.StatusCode;
  } finally {
    process.off('SIGINT', forward).off('SIGTERM', forward);
  }
}
