// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { encodeDockerFrame } from '../client/docker-stream-demuxer.js';
import { DetachKeysFilter } from './detach-keys.js';
import type { RouteContext } from './route.js';

/** One piece of output, as a log replay gives it. */
export interface StdioChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** Why a session ended before its process's output did: Docker records only the first as a `detach` event. */
export type DetachReason = 'detach-keys' | 'client-gone';

/** A process's stdio as attach and exec start stream them to a client. */
export interface StdioSession {
  /** Output to send before the live output: the log replay of `attach?logs=1`. */
  prelude?: AsyncIterable<StdioChunk>;
  /** Where the client's input goes; left out when the client may not write (no `stdin=1`, not hijacked). */
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** End `stdin` when the client ends its input (half-closes): Docker's StdinOnce, and exec's stdin. */
  closeStdin: boolean;
  /** The detach sequence: typing it ends the session, not the process. */
  detachKeys: Buffer;
  /**
   * The session ended early, or the client left once it ended: stop feeding it without touching the process.
   */
  detach(reason: DetachReason): void;
  /** A last word once the outputs have ended (an exec whose command could not run), written on stdout. */
  trailer?: () => Promise<string | undefined>;
}

/**
 * Streams a session to the client: over the hijacked connection when it asked to upgrade (its input then flows to
 * `stdin`), else as a plain 200 response. Frames carry stdout and stderr when there is no terminal (`tty`); the
 * content type is raw-stream up to API 1.41 and tells the framing from 1.42 on, as dockerd does. The client is
 * answered before `open` is called, since `docker start -a` and `run` wait for that answer before they start the
 * container whose stdio `open` then waits for; `open` is aborted if the client leaves meanwhile.
 */
export async function streamStdio(
  context: RouteContext,
  tty: boolean,
  open: (signal: AbortSignal) => Promise<StdioSession>,
): Promise<void> {
  const multiplexed = !tty && Number(context.apiVersion) >= 1.42;
  const contentType = multiplexed ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
  let out: Writable;
  const gone = new AbortController();
  let session: StdioSession | undefined;
  let detached: DetachReason | undefined;
  let resolveDetached!: () => void;
  const detachedSignal = new Promise<void>((resolve) => (resolveDetached = resolve));
  const detach = (reason: DetachReason): void => {
    if (detached) return;
    detached = reason;
    gone.abort();
    session?.detach(reason);
    resolveDetached();
  };
  const socket = context.hijack?.(contentType);
  if (socket) {
    // Input is read only once there is somewhere to put it.
    socket.pause();
    socket.on('error', () => undefined);
    // A client that goes away only stops receiving: the process runs on, as with dockerd.
    socket.once('close', () => detach('client-gone'));
    out = socket;
  } else {
    context.res.writeHead(200, { 'Content-Type': contentType });
    context.res.flushHeaders();
    context.res.once('close', () => detach('client-gone'));
    context.res.on('error', () => undefined);
    out = context.res;
  }
  try {
    session = await open(gone.signal);
  } catch {
    // The client left while waiting, or there is nothing to attach to: all the client can be told is the end.
    out.end();
    return;
  }
  if (detached) {
    session.detach(detached);
    return;
  }
  const write = async (stream: 'stdout' | 'stderr', data: Buffer): Promise<void> => {
    if (out.destroyed || detached) return;
    const chunk = tty ? data : encodeDockerFrame(stream, data);
    try {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close'), detachedSignal]);
    } catch {
      // The client is gone (EPIPE): as if it had detached.
      detach('client-gone');
    }
  };
  for await (const chunk of session.prelude ?? []) await write(chunk.stream, chunk.data);
  if (socket) {
    const stdin = session.stdin;
    const closeStdin = session.closeStdin;
    if (stdin) {
      const filter = new DetachKeysFilter(session.detachKeys);
      filter.once('detach', () => detach('detach-keys'));
      socket.pipe(filter).pipe(stdin, { end: false });
      socket.once('end', () => {
        if (closeStdin && !detached) stdin.end();
      });
    } else {
      socket.resume();
    }
  }
  // One writer at a time: frames of stdout and stderr must never interleave mid-frame.
  let queue = Promise.resolve();
  const copy = async (source: Readable | undefined, stream: 'stdout' | 'stderr'): Promise<void> => {
    if (!source) return;
    const ended = finished(source).catch(() => undefined);
    source.on('data', (data: Buffer) => {
      source.pause();
      queue = queue.then(() => write(stream, data)).then(() => void source.resume());
    });
    await Promise.race([ended, detachedSignal]);
  };
  await Promise.all([copy(session.stdout, 'stdout'), copy(session.stderr, 'stderr')]);
  const trailer = detached ? undefined : await session.trailer?.();
  // Detaching ends the client's connection, which is how the docker CLI learns of it.
  if (trailer) queue = queue.then(() => write('stdout', Buffer.from(trailer)));
  await queue;
  out.end();
}
