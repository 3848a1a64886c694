// SPDX-License-Identifier: Apache-2.0
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { DaemonResponseError } from './daemon-response-error.js';

export interface HijackRequestOptions {
  socketPath: string;
  /** The whole path, version prefix and query included. */
  path: string;
  body?: unknown;
}

/**
 * Sends a request that asks to take the connection over (`Upgrade: tcp`, as docker's client does for attach and
 * exec start) and resolves with the raw connection once the daemon answers `101`. Any other answer is an error
 * with the daemon's message. Its own connection, outside any keep-alive agent: it is never given back.
 */
export function hijackRequest(options: HijackRequestOptions): Promise<Duplex> {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const request = http.request({
      socketPath: options.socketPath,
      method: 'POST',
      path: options.path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'tcp',
        'Content-Length': body.length,
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
    });
    request.once('upgrade', (_response, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let message = text.trim();
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? message;
        } catch {
          // A body that is not Docker's JSON error is the message itself.
        }
        reject(new DaemonResponseError(response.statusCode ?? 500, message || `unable to upgrade to tcp, received ${response.statusCode}`));
      });
    });
    request.once('error', reject);
    request.end(body);
  });
}
