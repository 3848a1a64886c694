// SPDX-License-Identifier: Apache-2.0
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy relayed. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Bytes of the request body. */
  bodySize: number;
}

export interface ProxyBehaviour {
  /** Answers a request itself instead of relaying it, when it returns an answer. */
  respond?(req: IncomingMessage): { status: number; headers?: OutgoingHttpHeaders; body?: string } | undefined;
  /** Rewrites the upstream's response headers before they are relayed. */
  headers?(req: IncomingMessage, headers: IncomingHttpHeaders): IncomingHttpHeaders;
  /**
   * Sees each response body chunk with its offset in the body; returns the bytes to relay, or `'cut'` to drop the
   * connection there (after relaying nothing more).
   */
  body?(req: IncomingMessage, chunk: Buffer, offset: number, length: number): Buffer | 'cut';
  /** Holds a request until the promise it returns settles before relaying it, to see how many a client keeps open. */
  hold?(req: IncomingMessage): Promise<void> | undefined;
}

export interface RegistryProxy {
  /** `127.0.0.1:PORT`: use it as the registry part of references. */
  host: string;
  requests: ProxiedRequest[];
  /** GETs of blobs, by digest. */
  blobGets(): Map<string, ProxiedRequest[]>;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a registry that records every request and can rewrite response headers and
 * bodies or cut connections, to show how the engine meets a misbehaving registry or network.
 */
export async function startRegistryProxy(upstream: string, behaviour: ProxyBehaviour = {}): Promise<RegistryProxy> {
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const record: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodySize: 0 };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.bodySize += chunk.length));
    const answer = behaviour.respond?.(req);
    if (answer) {
      req.resume();
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    const held = behaviour.hold?.(req);
    if (held) {
      // Paused meanwhile, so no body bytes go by before the relay pipes them.
      req.pause();
      const go = () => relay(req, res);
      held.then(go, go);
    } else {
      relay(req, res);
    }
  });
  const relay = (req: IncomingMessage, res: ServerResponse) => {
    // The Host header stays the proxy's, so the upload locations the registry builds from it lead back here.
    const forward = request(`http://${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, behaviour.headers ? behaviour.headers(req, { ...answer.headers }) : answer.headers);
      const rewrite = behaviour.body;
      if (!rewrite) {
        answer.pipe(res);
        return;
      }
      const length = Number(answer.headers['content-length'] ?? -1);
      let offset = 0;
      answer.on('data', (chunk: Buffer) => {
        const out = rewrite(req, chunk, offset, length);
        offset += chunk.length;
        if (out === 'cut') {
          answer.destroy();
          res.socket?.destroy();
          return;
        }
        res.write(out);
      });
      answer.on('end', () => res.end());
    });
    forward.on('error', () => res.socket?.destroy());
    req.pipe(forward);
  };
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    blobGets() {
      const gets = new Map<string, ProxiedRequest[]>();
      for (const each of requests) {
        const digest = each.method === 'GET' ? /\/blobs\/(sha256:[a-f0-9]{64})/.exec(each.url)?.[1] : undefined;
        if (digest) gets.set(digest, [...(gets.get(digest) ?? []), each]);
      }
      return gets;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
