// SPDX-License-Identifier: Apache-2.0
import { EngineError } from '../errors/engine-error.js';
import { exitOrDetach, streamAttached } from './attached-stdio.js';
import type { EngineClient } from './engine-client.js';

export interface RunAttachedOptions {
  /** The container removes itself when it exits (`--rm`): the wait lasts until it is gone. */
  autoRemove: boolean;
  tty: boolean;
  /** Send this process's stdin to the container (`-i`). */
  interactive: boolean;
  /** The key sequence that detaches (`--detach-keys`); the daemon's default, ctrl-p ctrl-q, when unset. */
  detachKeys?: string;
}

/**
 * Docker's attached run (`docker run`, `docker start -a`, `docker compose run`): attach, register the wait, start,
 * stream until the container exits (or the user detaches) and return the exit status, 0 after a detach. The attach
 * comes first: the daemon connects it before the container's process runs, so no output is lost.
 */
export async function runAttached(client: EngineClient, id: string, options: RunAttachedOptions): Promise<number> {
  const connection = await client.attachContainer(id, { stdin: options.interactive, detachKeys: options.detachKeys });
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
