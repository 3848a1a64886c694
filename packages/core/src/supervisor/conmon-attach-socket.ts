// SPDX-License-Identifier: Apache-2.0
import { open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { SeqpacketSocket } from 'node-unix-socket';
import { UnavailableError } from '../errors/engine-error.js';
import type { TaskAttachment } from './supervisor.js';

/** conmon's tag before each message of output (`stdpipe_t` in its `src/utils.h`: none, stdin, stdout, stderr). */
const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;

/**
 * Connects to conmon's attach socket (`<bundle>/attach` with `--full-attach`). It is SOCK_SEQPACKET: each message
 * conmon sends is one read of the container's output with the pipe it came from in its first byte, so message
 * boundaries carry the stdout/stderr split, which a byte-stream bridge (socat to a pipe) would lose. Node's `net`
 * speaks only stream sockets, hence node-unix-socket's native SeqpacketSocket. What is written goes to the
 * container's stdin; ending it shuts the socket's write side, which conmon takes as this client's end of input.
 */
export async function connectAttachSocket(path: string): Promise<TaskAttachment> {
  // Bundles lie deeper than a socket address may be long (108 bytes): reach it through a descriptor of its
  // directory, as conmon itself binds it.
  const directory = await open(dirname(path), 'r').catch((error: unknown) => {
    throw new UnavailableError(`attach to ${path}: ${(error as Error).message}`, { cause: error });
  });
  try {
    return await connectAt(`/proc/self/fd/${directory.fd}/${basename(path)}`, path);
  } finally {
    await directory.close();
  }
}

function connectAt(address: string, path: string): Promise<TaskAttachment> {
  return new Promise((resolve, reject) => {
    const socket = new SeqpacketSocket();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let connected = false;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      stdout.end();
      stderr.end();
      try {
        socket.destroy();
      } catch {
        // Already destroyed by the library after an error.
      }
    };
    socket.on('data', (message: Buffer) => {
      const data = message.subarray(1);
      if (message[0] === STDOUT_PIPE) stdout.write(data);
      else if (message[0] === STDERR_PIPE) stderr.write(data);
    });
    // conmon closes every attached socket once the container has exited and its last output is sent.
    socket.on('end', close);
    socket.on('close', close);
    socket.on('error', (error: Error) => {
      if (!connected) reject(new UnavailableError(`attach to ${path}: ${error.message}`, { cause: error }));
      close();
    });
    const stdin = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (closed) return callback();
        try {
          socket.write(chunk, 0, chunk.length, () => callback());
        } catch (error) {
          callback(error as Error);
        }
      },
      final(callback) {
        if (closed) return callback();
        try {
          socket.end(() => callback());
        } catch {
          callback();
        }
      },
    });
    stdin.on('error', () => undefined);
    try {
      socket.connect(address, () => {
        connected = true;
        resolve({ stdin, stdout, stderr, close });
      });
    } catch (error) {
      reject(new UnavailableError(`attach to ${path}: ${(error as Error).message}`, { cause: error }));
    }
  });
}
