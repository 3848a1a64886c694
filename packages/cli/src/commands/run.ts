// SPDX-License-Identifier: Apache-2.0
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { EngineError, type EngineClient } from '@tsc-engine/core/client';
import { buildCreateRequest, containerCreateFlags } from '../container-create-flags.js';
import { createContainerPulling } from '../create-container.js';
import { ContainerLaunchCommand } from '../container-launch-command.js';
import { pipeLogs } from '../pipe-logs.js';
import { splitAtImage } from '../split-at-image.js';

// After the container exits the daemon ends the log stream; if it stays open but silent this long, stop reading.
const LOG_DRAIN_IDLE_MS = 3000;

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
    const status = await this.runAttached(client, id, flags.rm === true);
    if (status !== 0) this.exit(status);
  }

  /** Docker's attached run: register the wait, follow the output, start, and return the exit status. */
  private async runAttached(client: EngineClient, id: string, autoRemove: boolean): Promise<number> {
    const wait = client.waitContainer(id, autoRemove ? 'removed' : 'next-exit');
    const abort = new AbortController();
    let lastOutput = Date.now();
    // Opened before start, together with the wait: the daemon holds a follower of a created container until it
    // starts, so no output is lost.
    const output = pipeLogs(client.containerLogs(id, { follow: true, tty: false }, abort.signal), () => (lastOutput = Date.now()))
      .then(() => undefined)
      .catch((error: Error) => {
        if (!abort.signal.aborted) process.stderr.write(`Error: reading the container's output: ${error.message}\n`);
      });
    const forward = (signal: NodeJS.Signals) => void client.killContainer(id, { signal }).catch(() => undefined);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    try {
      await wait.registered;
      await client.startContainer(id);
      const result = await wait.result;
      await drainOutput(output, () => lastOutput);
      if (result.Error?.Message) throw new EngineError('internal', result.Error.Message);
      return result.StatusCode;
    } finally {
      abort.abort();
      process.off('SIGINT', forward).off('SIGTERM', forward);
    }
  }
}

/** Waits for the log stream to end after the container exited, giving up once it has been silent for too long. */
async function drainOutput(output: Promise<void>, lastOutput: () => number): Promise<void> {
  let done = false;
  const finished = output.then(() => (done = true));
  while (!done) {
    const remaining = LOG_DRAIN_IDLE_MS - (Date.now() - lastOutput());
    if (remaining <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, remaining)))]);
    // A pending timer would keep the process alive after the command is done.
    clearTimeout(timer);
  }
}
