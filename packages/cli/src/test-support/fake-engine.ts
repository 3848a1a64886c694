// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import type { Duplex, Writable } from 'node:stream';
import { join } from 'node:path';
import {
  encodeDockerFrame,
  type ContainerCreateRequest,
  type ContainerSummary,
  type ImageSummary,
  type SystemInfo,
} from '@tsc-engine/core/client';

interface FakeContainer {
  id: string;
  name: string;
  request: ContainerCreateRequest;
  created: number;
  state: 'created' | 'running' | 'exited';
  exitCode: number;
  output: Buffer[];
  exitWaiters: (() => void)[];
  /** Log followers and attached clients: both get the container's framed output and end with it. */
  logFollowers: Writable[];
}

/**
 * A stand-in daemon on a unix socket for the CLI's tests: it speaks the Docker API routes the CLI uses, keeps
 * images and containers in memory and "runs" a container by interpreting its command — `echo ARGS` prints, `fail N`
 * writes to stderr and exits N, `env` prints the environment, `sleep` runs until killed, `missing` cannot start.
 * Every request is recorded for assertions.
 */
export class FakeEngine {
  readonly images = new Map<string, ImageSummary>();
  readonly containers = new Map<string, FakeContainer>();
  readonly requests: { method: string; path: string; query: Record<string, string>; body?: unknown; headers: http.IncomingHttpHeaders }[] = [];
  socketPath = '';
  private dir = '';
  private readonly server = http
    .createServer((request, response) => void this.handle(request, response))
    .on('upgrade', (request: http.IncomingMessage, socket: Duplex) => this.attach(request, socket));

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'tsc-engine-fake-'));
    this.socketPath = join(this.dir, 'engine.sock');
    await new Promise<void>((resolve) => this.server.listen(this.socketPath, resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.dir, { recursive: true, force: true });
  }

  addImage(reference: string, size = 4_260_000, createdSecondsAgo = 90): void {
    const id = `sha256:${randomBytes(32).toString('hex')}`;
    this.images.set(reference, {
      Id: id, ParentId: '', RepoTags: [reference], RepoDigests: [], Created: Math.floor(Date.now() / 1000) - createdSecondsAgo,
      Size: size, SharedSize: -1, VirtualSize: size, Labels: {}, Containers: -1,
    });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://engine');
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    const path = url.pathname.replace(/^\/v1\.41/, '');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: request.method ?? '', path, query, body, headers: request.headers });
    const route = `${request.method} ${path}`;
    const send = (status: number, value?: unknown) => {
      if (value === undefined) return void response.writeHead(status, { 'Content-Length': 0 }).end();
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    };
    const fail = (status: number, message: string) => send(status, { message });

    if (path === '/_ping') return void response.writeHead(200, { 'Content-Length': 2 }).end(request.method === 'HEAD' ? undefined : 'OK');
    if (route === 'GET /version') return send(200, { Version: '0.1.0-fake', ApiVersion: '1.41', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64', Platform: { Name: 'tsc-engine' }, Components: [] });
    if (route === 'GET /info') return send(200, this.info());
    if (route === 'GET /images/json') return send(200, [...this.images.values()]);
    if (route === 'POST /images/create') return this.pull(query, response);
    const image = /^\/images\/(.+?)(\/json)?$/.exec(path);
    if (image) {
      const found = this.findImage(decodeURIComponent(image[1]));
      if (!found) return fail(404, `No such image: ${image[1]}`);
      if (request.method === 'DELETE') {
        this.images.delete(found[0]);
        return send(200, [{ Untagged: found[0] }, { Deleted: found[1].Id }]);
      }
      return send(200, { Id: found[1].Id, RepoTags: found[1].RepoTags, Config: { Cmd: ['sh'] }, Os: 'linux' });
    }
    if (route === 'POST /containers/create') return this.create(body as ContainerCreateRequest, query.name, send, fail);
    if (route === 'GET /containers/json') {
      const all = [...this.containers.values()].filter((c) => query.all === '1' || c.state === 'running');
      return send(200, all.map((c) => this.summary(c)));
    }
    const match = /^\/containers\/([^/]+)(?:\/(\w+))?$/.exec(path);
    const container = match && [...this.containers.values()].find((c) => c.id.startsWith(match[1]) || c.name === match[1]);
    if (!match || !container) return fail(404, `No such container: ${match?.[1] ?? path}`);
    switch (`${request.method} ${match[2] ?? ''}`) {
      case 'GET json':
        return send(200, { Id: container.id, Name: `/${container.name}`, State: { Status: container.state, ExitCode: container.exitCode }, Config: { ...container.request, Tty: false } });
      case 'POST start':
        return this.startContainer(container, send, fail);
      case 'POST wait':
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        if (container.state === 'exited' && query.condition !== 'next-exit' && query.condition !== 'removed') {
          return void response.end(JSON.stringify({ StatusCode: container.exitCode, Error: null }));
        }
        return void container.exitWaiters.push(() => response.end(JSON.stringify({ StatusCode: container.exitCode, Error: null })));
      case 'GET logs':
        response.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        for (const frame of container.output) response.write(frame);
        if (query.follow === '1' && (container.state === 'running' || container.state === 'created')) {
          return void container.logFollowers.push(response);
        }
        return void response.end();
      case 'POST stop':
      case 'POST kill':
        if (container.state !== 'running') return fail(409, `Container ${container.id} is not running`);
        this.exit(container, match[2] === 'kill' ? 137 : 143);
        return send(204);
      case 'DELETE ':
        if (container.state === 'running' && query.force !== '1') return fail(409, `cannot remove container "/${container.name}": container is running: stop the container before removing or force remove`);
        this.containers.delete(container.id);
        return send(204);
      default:
        return fail(404, `page not found: ${route}`);
    }
  }

  /** `POST /containers/{id}/attach` with `Upgrade: tcp`: the socket gets the output from the container's start on. */
  private attach(request: http.IncomingMessage, socket: Duplex): void {
    const url = new URL(request.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v1\.41/, '');
    this.requests.push({ method: request.method ?? '', path, query: Object.fromEntries(url.searchParams), headers: request.headers });
    const container = [...this.containers.values()].find((c) => path === `/containers/${c.id}/attach`);
    if (!container) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    if (container.state === 'exited') socket.end();
    else container.logFollowers.push(socket);
  }

  private findImage(name: string): [string, ImageSummary] | undefined {
    const withTag = name.includes(':') ? name : `${name}:latest`;
    return [...this.images.entries()].find(([reference, image]) => reference === withTag || image.Id === name || image.Id.slice(7).startsWith(name));
  }

  private pull(query: Record<string, string>, response: http.ServerResponse): void {
    const short = query.fromImage.replace(/^docker\.io\/(library\/)?/, '');
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (short === 'nosuch') {
      response.end(`{"status":"Pulling from ${short}","id":"${query.tag}"}\r\n{"errorDetail":{"message":"manifest for ${short}:${query.tag} not found"},"error":"x"}\r\n`);
      return;
    }
    const messages = [
      { status: `Pulling from library/${short}`, id: query.tag },
      { status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' },
      { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 500, total: 1000 } },
      { status: 'Pull complete', id: 'aaaaaaaaaaaa' },
      { status: 'Digest: sha256:0123' },
      { status: `Status: Downloaded newer image for ${short}:${query.tag}` },
    ];
    this.addImage(`${short}:${query.tag}`);
    response.end(messages.map((m) => `${JSON.stringify(m)}\r\n`).join(''));
  }

  private create(request: ContainerCreateRequest, name: string | undefined, send: (s: number, v?: unknown) => void, fail: (s: number, m: string) => void): void {
    const image = request.Image ?? '';
    if (!this.findImage(image)) return fail(404, `No such image: ${image.includes(':') ? image : `${image}:latest`}`);
    const id = randomBytes(32).toString('hex');
    this.containers.set(id, {
      id, name: name ?? `fake_${id.slice(0, 6)}`, request, created: Math.floor(Date.now() / 1000), state: 'created', exitCode: 0,
      output: [], exitWaiters: [], logFollowers: [],
    });
    send(201, { Id: id, Warnings: [] });
  }

  private startContainer(container: FakeContainer, send: (s: number, v?: unknown) => void, fail: (s: number, m: string) => void): void {
    if (container.state === 'running') return send(304);
    const [program = '', ...args] = container.request.Cmd ?? [];
    if (program === 'missing') {
      return fail(500, 'failed to create task: exec: "missing": executable file not found in $PATH: unknown');
    }
    container.state = 'running';
    send(204);
    // The container "runs" after start has been answered, as a real one would.
    setTimeout(() => {
      if (program === 'echo') this.emit(container, 'stdout', `${args.join(' ')}\n`);
      if (program === 'env') this.emit(container, 'stdout', `${(container.request.Env ?? []).join('\n')}\n`);
      if (program === 'fail') this.emit(container, 'stderr', 'boom\n');
      if (program !== 'sleep') this.exit(container, program === 'fail' ? Number(args[0]) : 0);
    }, 5);
  }

  private emit(container: FakeContainer, stream: 'stdout' | 'stderr', text: string): void {
    const frame = encodeDockerFrame(stream, Buffer.from(text));
    container.output.push(frame);
    for (const follower of container.logFollowers) follower.write(frame);
  }

  private exit(container: FakeContainer, code: number): void {
    container.state = 'exited';
    container.exitCode = code;
    for (const follower of container.logFollowers.splice(0)) follower.end();
    if (container.request.HostConfig?.AutoRemove) this.containers.delete(container.id);
    for (const waiter of container.exitWaiters.splice(0)) waiter();
  }

  private summary(container: FakeContainer): ContainerSummary {
    return {
      Id: container.id, Names: [`/${container.name}`], Image: container.request.Image ?? '', ImageID: '',
      Command: [...(container.request.Entrypoint ?? []), ...(container.request.Cmd ?? [])].join(' '), Created: container.created,
      Ports: [], Labels: container.request.Labels ?? {}, State: container.state,
      Status: container.state === 'running' ? 'Up 2 seconds' : `Exited (${container.exitCode}) 1 second ago`,
      HostConfig: { NetworkMode: 'none' }, NetworkSettings: { Networks: {} }, Mounts: [],
    };
  }

  private info(): Partial<SystemInfo> {
    return {
      ID: 'fake', Containers: this.containers.size, ContainersRunning: 0, ContainersPaused: 0, ContainersStopped: 0, Images: this.images.size,
      ServerVersion: '0.1.0-fake', Runtimes: { runc: { path: 'runc' } }, DefaultRuntime: 'runc', MemTotal: 8 * 1024 ** 3, NCPU: 2,
      Plugins: {
        Engine: [
          { type: 'tsc-engine.runtime.v1', id: 'runc', package: '@tsc-engine/plugin-runtime-runc', version: '0.1.0', status: 'ok' },
          { type: 'tsc-engine.runtime.v1', id: 'crun', package: '@tsc-engine/plugin-runtime-crun', version: '0.1.0', status: 'skipped', reason: 'crun not found' },
        ],
      },
    };
  }
}
