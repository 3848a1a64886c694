// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeDockerFrame } from './docker-stream-demuxer.js';
import type { LogChunk } from './engine-client.js';
import { HttpEngineClient } from './http-engine-client.js';

type Handler = (request: http.IncomingMessage, url: URL, response: http.ServerResponse) => void | Promise<void>;

// A stand-in daemon: each test installs the routes it needs, keyed `METHOD /path`.
let routes = new Map<string, Handler>();
let connections = 0;
let dir: string;
let socketPath: string;
let server: http.Server;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsc-engine-client-'));
  socketPath = join(dir, 'engine.sock');
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://engine');
    const handler = routes.get(`${request.method} ${url.pathname}`);
    if (!handler) return sendJson(response, 404, { message: `page not found: ${url.pathname}` });
    void Promise.resolve(handler(request, url, response)).catch((error: Error) => sendJson(response, 500, { message: error.message }));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function withClient(fn: (client: HttpEngineClient) => Promise<void>): Promise<void> {
  const client = new HttpEngineClient({ socketPath });
  try {
    await fn(client);
  } finally {
    client.close();
  }
}

async function readAll(request: http.IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

test('calls go to /v1.41 over one kept-alive connection; ping is unversioned HEAD', async () => {
  routes = new Map<string, Handler>([
    // Without a Content-Length, Node's server closes the connection after a HEAD answer.
    ['HEAD /_ping', (_q, _u, r) => void r.writeHead(200, { 'Api-Version': '1.41', 'Content-Length': 2 }).end()],
    ['GET /v1.41/version', (_q, _u, r) => sendJson(r, 200, { Version: '0.1.0', ApiVersion: '1.41' })],
    ['GET /v1.41/containers/json', (_q, u, r) => sendJson(r, 200, [{ query: Object.fromEntries(u.searchParams) }])],
  ]);
  connections = 0;
  await withClient(async (client) => {
    await client.ping();
    assert.equal((await client.version()).Version, '0.1.0');
    const [answer] = (await client.listContainers({ all: true, filters: { label: ['a=b'] } })) as unknown as { query: object }[];
    assert.deepEqual(answer.query, { all: '1', filters: '{"label":["a=b"]}' });
  });
  assert.equal(connections, 1);
});

test('error answers become engine errors carrying the daemon message and a code from the status', async () => {
  routes = new Map<string, Handler>([
    ['POST /v1.41/containers/nope/start', (_q, _u, r) => sendJson(r, 404, { message: 'No such container: nope' })],
    ['POST /v1.41/containers/busy/start', (_q, _u, r) => void r.writeHead(304).end()],
    ['DELETE /v1.41/containers/running', (_q, _u, r) => void r.writeHead(409, { 'Content-Type': 'text/plain' }).end('container is running\n')],
    ['GET /v1.41/info', (_q, _u, r) => void r.writeHead(500).end()],
    ['POST /v1.41/containers/nocmd/start', (_q, _u, r) => sendJson(r, 500, { message: 'exec: "x": executable file not found in $PATH' })],
    ['POST /v1.41/containers/noexec/start', (_q, _u, r) => sendJson(r, 400, { message: 'exec: "/etc": permission denied: unknown' })],
  ]);
  await withClient(async (client) => {
    await assert.rejects(client.startContainer('nope'), {
      name: 'DaemonResponseError', code: 'not-found', status: 404, message: 'No such container: nope',
    });
    await client.startContainer('busy');
    await assert.rejects(client.removeContainer('running'), { code: 'conflict', message: 'container is running' });
    await assert.rejects(client.info(), { code: 'internal', message: /without a message/ });
    // Docker tells why a start failed from the message of the 500: exit 127 and 126 depend on it.
    await assert.rejects(client.startContainer('nocmd'), { code: 'command-not-found', status: 500 });
    await assert.rejects(client.startContainer('noexec'), { code: 'cannot-invoke', status: 400 });
  });
});

test('a missing socket is "unavailable" with a hint about starting the daemon', async () => {
  const client = new HttpEngineClient({ socketPath: join(dir, 'absent.sock') });
  await assert.rejects(client.ping(), (error: Error & { code: string; hint?: string }) => {
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /cannot connect to the tsc-engine daemon at unix:\/\/.*absent\.sock/);
    assert.match(error.hint ?? '', /tsc-engine daemon/);
    return true;
  });
  client.close();
});

test('pull sends the qualified name, tag and base64url credentials, and reports progress then in-band errors', async () => {
  let seen: { query: Record<string, string>; auth: unknown } | undefined;
  routes = new Map<string, Handler>([
    ['POST /v1.41/images/create', (q, u, r) => {
      const header = String(q.headers['x-registry-auth']);
      assert.doesNotMatch(header, /[+/]/);
      seen = { query: Object.fromEntries(u.searchParams), auth: JSON.parse(Buffer.from(header, 'base64url').toString()) };
      r.writeHead(200, { 'Content-Type': 'application/json' });
      r.write('{"status":"Pulling from library/busybox","id":"1.36"}\r\n{"status":"Downloading","id":"abc",');
      r.write('"progressDetail":{"current":1,"total":2}}\r\n');
      if (u.searchParams.get('tag') === 'broken') r.write('{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\r\n');
      r.end('{"status":"Status: Downloaded newer image for busybox:1.36"}\r\n');
    }],
  ]);
  await withClient(async (client) => {
    const statuses: string[] = [];
    // `???>` base64-encodes to `Pz8_Pg`-style text with `+`/`/` in standard base64, so the URL alphabet shows.
    await client.pullImage({ image: 'busybox:1.36', auth: { username: 'u', password: '???>' } }, (m) => statuses.push(m.status ?? ''));
    assert.deepEqual(seen, {
      query: { fromImage: 'docker.io/library/busybox', tag: '1.36' },
      auth: { username: 'u', password: '???>' },
    });
    assert.deepEqual(statuses, ['Pulling from library/busybox', 'Downloading', 'Status: Downloaded newer image for busybox:1.36']);
    await assert.rejects(client.pullImage({ image: 'busybox:broken' }), { code: 'internal', message: 'manifest unknown' });
  });
});

test('wait resolves "registered" when headers arrive, long before the result', async () => {
  let finish: (() => void) | undefined;
  routes = new Map<string, Handler>([
    ['POST /v1.41/containers/c1/wait', (_q, u, r) => {
      assert.equal(u.searchParams.get('condition'), 'next-exit');
      r.writeHead(200, { 'Content-Type': 'application/json' });
      r.flushHeaders();
      finish = () => r.end(JSON.stringify({ StatusCode: 3, Error: null }));
    }],
    ['POST /v1.41/containers/gone/wait', (_q, _u, r) => sendJson(r, 404, { message: 'No such container: gone' })],
  ]);
  await withClient(async (client) => {
    const wait = client.waitContainer('c1', 'next-exit');
    await wait.registered;
    assert.ok(finish, 'the daemon saw the wait before registered resolved');
    finish();
    assert.deepEqual(await wait.result, { StatusCode: 3, Error: null });
    const missing = client.waitContainer('gone');
    await assert.rejects(missing.registered, { code: 'not-found' });
  });
});

test('logs are demultiplexed without a TTY, raw with one, and aborting a follow ends quietly', async () => {
  routes = new Map<string, Handler>([
    ['GET /v1.41/containers/plain/json', (_q, _u, r) => sendJson(r, 200, { Config: { Tty: false } })],
    ['GET /v1.41/containers/term/json', (_q, _u, r) => sendJson(r, 200, { Config: { Tty: true } })],
    ['GET /v1.41/containers/plain/logs', (_q, u, r) => {
      assert.deepEqual(Object.fromEntries(u.searchParams), { stdout: '1', stderr: '1', tail: '2' });
      r.writeHead(200);
      r.end(Buffer.concat([encodeDockerFrame('stdout', Buffer.from('out\n')), encodeDockerFrame('stderr', Buffer.from('err\n'))]));
    }],
    ['GET /v1.41/containers/term/logs', (_q, _u, r) => void r.writeHead(200).end('\u001b[1mraw\r\n')],
    ['GET /v1.41/containers/endless/logs', (_q, _u, r) => {
      r.writeHead(200);
      r.write(encodeDockerFrame('stdout', Buffer.from('tick\n')));
    }],
  ]);
  const collect = async (iterable: AsyncIterable<LogChunk>, abort?: AbortController) => {
    const chunks: string[] = [];
    for await (const chunk of iterable) {
      chunks.push(`${chunk.stream}:${chunk.data.toString()}`);
      abort?.abort();
    }
    return chunks;
  };
  await withClient(async (client) => {
    assert.deepEqual(await collect(client.containerLogs('plain', { tail: '2' })), ['stdout:out\n', 'stderr:err\n']);
    assert.deepEqual(await collect(client.containerLogs('term', {})), ['stdout:\u001b[1mraw\r\n']);
    const abort = new AbortController();
    assert.deepEqual(await collect(client.containerLogs('endless', { follow: true, tty: false }, abort.signal), abort), ['stdout:tick\n']);
  });
});

test('create posts the JSON body and the name', async () => {
  routes = new Map<string, Handler>([
    ['POST /v1.41/containers/create', async (q, u, r) => {
      assert.equal(q.headers['content-type'], 'application/json');
      const body = JSON.parse(await readAll(q)) as { Image: string };
      sendJson(r, 201, { Id: `${u.searchParams.get('name')}-${body.Image}`, Warnings: [] });
    }],
  ]);
  await withClient(async (client) => {
    assert.deepEqual(await client.createContainer({ Image: 'busybox' }, { name: 'web' }), { Id: 'web-busybox', Warnings: [] });
  });
});

test('onNoDaemon: calls that find no daemon start one once, then go through unchanged; its failure is theirs', async () => {
  const lateSocket = join(dir, 'late.sock');
  const bodies: string[] = [];
  const late = http.createServer((request, response) => {
    void readAll(request).then((body) => {
      bodies.push(`${request.method} ${request.url} ${body}`);
      sendJson(response, request.method === 'POST' ? 201 : 200, request.method === 'POST' ? { Id: 'c1', Warnings: [] } : []);
    });
  });
  let starts = 0;
  const client = new HttpEngineClient({
    socketPath: lateSocket,
    onNoDaemon: async () => {
      starts++;
      await new Promise<void>((resolve) => late.listen(lateSocket, resolve));
    },
  });
  try {
    const [created, listed] = await Promise.all([client.createContainer({ Image: 'busybox', Cmd: ['true'] }), client.listContainers()]);
    assert.deepEqual({ created, listed, starts }, { created: { Id: 'c1', Warnings: [] }, listed: [], starts: 1 });
    assert.deepEqual(bodies.sort(), ['GET /v1.41/containers/json ', 'POST /v1.41/containers/create {"Image":"busybox","Cmd":["true"]}']);
  } finally {
    client.close();
    late.closeAllConnections();
    await new Promise((resolve) => late.close(resolve));
  }

  const failing = new HttpEngineClient({
    socketPath: join(dir, 'never.sock'),
    onNoDaemon: () => Promise.reject(new Error('the daemon started in the background stopped')),
  });
  await assert.rejects(failing.info(), { message: 'the daemon started in the background stopped' });
  failing.close();
});
