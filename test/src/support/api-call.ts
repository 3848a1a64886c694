// SPDX-License-Identifier: Apache-2.0
import { request, type IncomingMessage } from 'node:http';

/** A whole answer of the daemon's API: the response (status, headers) and its body. */
export interface ApiAnswer {
  res: IncomingMessage;
  body: Buffer;
}

/** One Docker Engine API call over the daemon's unix socket, with an optional JSON body. */
export function apiCall(socketPath: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
