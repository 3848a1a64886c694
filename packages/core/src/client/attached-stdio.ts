// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { demuxDockerStream } from './docker-stream-demuxer.js';
import type { EngineClient } from './engine-client.js';

// How long after its output ended a container that has not exited is taken as detached from.
const DETACH_GRACE_MS = 2000;

export interface AttachedStdioOptions {
  /** The other end is a terminal: raw bytes both ways, and this terminal in raw mode meanwhile. */
  tty: boolean;
  /** Send this process's stdin; its end half-closes the connection, which ends the process's stdin. */
  stdin: boolean;
  /** Sizes the remote terminal; called now and whenever this one is resized. */
  resize?: (size: { height: number; width: number }) => Promise<void>;
}

/**
 * Connects this process's stdio to a hijacked attach or exec connection until the daemon ends it: when the process
 * exits, or when the user types the detach keys (the daemon watches for them and ends the connection).
 */
export async function streamAttached(connection: Duplex, options: AttachedStdioOptions): Promise<void> {
  const input = process.stdin;
  const rawMode = options.tty && options.stdin && input.isTTY;
  if (rawMode) input.setRawMode(true);
  const resize = (): void => {
    if (options.resize && process.stdout.isTTY) {
      void options.resize({ height: process.stdout.rows, width: process.stdout.columns }).catch(() => undefined);
    }
  };
  resize();
  process.stdout.on('resize', resize);
  connection.on('error', () => undefined);
  if (options.stdin) {
    input.pipe(connection, { end: false });
    input.once('end', () => connection.end());
  }
  try {
    if (options.tty) {
      connection.pipe(process.stdout, { end: false });
      await Promise.race([once(connection, 'end'), once(connection, 'close')]);
    } else {
      for await (const chunk of demuxDockerStream(connection)) {
        const out = chunk.stream === 'stderr' ? process.stderr : process.stdout;
        if (!out.write(chunk.data)) await once(out, 'drain');
      }
    }
  } finally {
    process.stdout.off('resize', resize);
    if (options.stdin) {
      input.unpipe(connection);
      // Reading stdin keeps the process alive: stop, as the connection is over.
      input.pause();
      if (rawMode) input.setRawMode(false);
    }
    connection.destroy();
  }
}

/**
 * The container's exit once its output has ended, or `detached` when it ended because the user detached (the
 * container still runs). conmon ends the output just before the exit is recorded, hence the grace.
 */
export async function exitOrDetach<T>(client: EngineClient, id: string, exit: Promise<T>): Promise<T | 'detached'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), DETACH_GRACE_MS)));
  const first = await Promise.race([exit, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  const { State } = await client.inspectContainer(id);
  return State.Running ? 'detached' : exit;
}

/**
 * Whether this process talks to a person: stdin and stdout both terminals. `compose exec`/`run` then give the
 * command a terminal unless told not to (`-T`); a pipe on either side gets plain streams.
 */
export function stdioIsTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}
