// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Bodies of requests that asked to upgrade, which Node hands over raw instead of through the request stream. */
const bodies = new WeakMap<IncomingMessage, Buffer>();

/**
 * Reads the body of a request that arrived on the server's `upgrade` event: Node's parser stops after the headers,
 * so the body (`{"Detach":false}` of exec start) is in `head` and maybe still on the socket. Bytes past the body are
 * the client's first stream data and go back onto the socket.
 */
export async function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isInteger(length) || length < 0) throw new InvalidArgumentError('invalid Content-Length');
  let received = head;
  while (received.length < length) {
    const chunk = await new Promise<Buffer | undefined>((resolve) => {
      const onData = (data: Buffer): void => {
        socket.off('end', onEnd);
        socket.pause();
        resolve(data);
      };
      const onEnd = (): void => {
        socket.off('data', onData);
        resolve(undefined);
      };
      socket.once('data', onData);
      socket.once('end', onEnd);
      socket.resume();
    });
    if (!chunk) throw new InvalidArgumentError('request body ended early');
    received = Buffer.concat([received, chunk]);
  }
  if (received.length > length) socket.unshift(received.subarray(length));
  bodies.set(req, received.subarray(0, length));
}

/** The body {@link readUpgradeBody} read for `req`, if it was an upgrade request. */
export function upgradedBody(req: IncomingMessage): Buffer | undefined {
  return bodies.get(req);
}

/** Answers `101 UPGRADED` as dockerd does and hands over the connection, now a raw byte stream both ways. */
export function switchProtocols(socket: Duplex, contentType: string): Duplex {
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
  return socket;
}
