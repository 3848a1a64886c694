// SPDX-License-Identifier: Apache-2.0
// Small network clients and servers for the networking tests, all on loopback or on the engine's own bridges.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer as createHttpServer, get, type Server } from 'node:http';
import { createServer } from 'node:net';

/** A busybox httpd command answering `text` at `/` on port 80 of `address` (`127.0.0.1:`; all addresses by default). */
export const httpdCommand = (text: string, address = ''): string[] =>
  ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p ${address}80 -h /www`];

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** GETs a URL, retrying while the server inside the container is still starting. */
export async function httpGet(url: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = get(url, { timeout: 2000 }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Sends one datagram and resolves with the first answer (retrying: the echo server may not be bound yet). */
export async function udpExchange(host: string, port: number, payload: string, timeoutMs = 10_000): Promise<string> {
  const socket = createSocket('udp4');
  try {
    const answer = new Promise<string>((resolve) => socket.once('message', (message) => resolve(message.toString())));
    const deadline = Date.now() + timeoutMs;
    let settled = false;
    void answer.then(() => (settled = true));
    while (!settled && Date.now() < deadline) {
      socket.send(payload, port, host);
      await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    if (!settled) throw new Error(`no UDP answer from ${host}:${port}`);
    return await answer;
  } finally {
    socket.close();
  }
}

/** A UDP echo server run by node inside a network namespace (busybox's nc here has no `-u`). */
export function udpEchoInNamespace(netnsPath: string, port: number): ChildProcess {
  const script = `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('echo:'+m,r.port,r.address));s.bind(${port});`;
  return spawn('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', script], { stdio: 'ignore' });
}

/** An HTTP server on `address` answering `body`, for reachability from containers. */
export async function serveText(address: string, body: string): Promise<{ server: Server; port: number }> {
  const server = createHttpServer((_req, res) => res.end(body));
  server.listen(0, address);
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}
