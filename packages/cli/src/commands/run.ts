// SPDX-License-Identifier: Apache-2.0
import { Args, Flags } from '@oclif/core';
import { EngineError, type EngineClient } from '@tsc-engine/core/client';
import { buildCreateRequest, containerCreateFlags } from '../container-create-flags.js';
import { createContainerPulling } from '../create-container.js';
import { EngineCommand } from '../engine-command.js';
import { pipeLogs } from '../pipe-logs.js';
import { splitAtImage } from '../split-at-image.js';

// After the container exits the daemon ends the log stream; if it stays open but silent this long, stop reading.
const LOG_DRAIN_IDLE_MS = 3000;

export default class Run extends EngineCommand {
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
    await wait.registered;
    const abort = new AbortController();
    let lastOutput = Date.now();
    const output = pipeLogs(client.containerLogs(id, { follow: true, tty: false }, abort.signal), () => (lastOutput = Date.now()));
    output.catch((error: Error) => {
      if (!abort.signal.aborted) process.stderr.write(`Error: reading the container's output: ${error.message}\n`);
    });
    const forward = (signal: NodeJS.Signals) => void client.killContainer(id, { signal }).catch(() => undefined);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    try {
      await client.startContainer(id);
      const result = await wait.result;
      let drained = false;
      void output.finally(() => (drained = true));
      while (!drained && Date.now() - lastOutput < LOG_DRAIN_IDLE_MS) await Promise.race([output.catch(() => undefined), delay(100)]);
      if (result.Error?.Message) throw new EngineError('internal', result.Error.Message);
      return result.StatusCode;
    } finally {
      abort.abort();
      process.off('SIGINT', forward).off('SIGTERM', forward);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
