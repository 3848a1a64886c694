// SPDX-License-Identifier: Apache-2.0
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { API_VERSION, MIN_API_VERSION } from '../api/system.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, errorCodeOf } from '../errors/engine-error.js';
import { toHttpStatus } from '../errors/error-mapping.js';
import { ENGINE_VERSION } from '../shared/engine-version.js';
import type { Route, RouteContext } from './route.js';
import { Router } from './router.js';
import { readUpgradeBody, switchProtocols } from './upgrade-request.js';

const VERSIONED_PATH = /^\/v(\d+\.\d+)(\/.*)$/;

/**
 * The Docker Engine API over HTTP on a unix socket: versioned and unversioned paths, Docker's headers on every
 * answer, and errors as `{"message": ...}` with the status of their code.
 */
export class ApiServer {
  private readonly router: Router;
  private server?: Server;
  private readonly log: (line: string) => void;

  constructor(routes: Route[], log: (line: string) => void) {
    this.router = new Router(routes);
    this.log = log;
  }

  async listen(socketPath: string): Promise<void> {
    await mkdir(dirname(socketPath), { recursive: true });
    if (await answers(socketPath)) {
      throw new FailedPreconditionError(`another daemon is already listening on ${socketPath}`, {
        hint: 'stop it first, or give this one another socket with --host',
      });
    }
    // A socket file left by a daemon that was killed would make listen fail with EADDRINUSE.
    await rm(socketPath, { force: true });
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o660);
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * A request with `Upgrade: tcp`, which Node delivers here instead of to the request handler. It goes through the
   * same routes with a response written to its socket, so errors look as usual; a route that supports it calls
   * `hijack` to take the connection over.
   */
  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    // An answer that is not a hijack ends the connection: it was not meant to go on as HTTP.
    res.on('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    try {
      await readUpgradeBody(req, socket, head);
    } catch (error) {
      this.fail(res, error);
      return;
    }
    await this.handle(req, res, (contentType) => {
      res.statusCode = 101;
      res.detachSocket(socket as Socket);
      return switchProtocols(socket, contentType);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse, hijack?: RouteContext['hijack']): Promise<void> {
    res.setHeader('Api-Version', API_VERSION);
    res.setHeader('Server', `tsc-engine/${ENGINE_VERSION} (linux)`);
    res.setHeader('Ostype', 'linux');
    res.setHeader('Docker-Experimental', 'false');
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const started = Date.now();
    try {
      const url = new URL(req.url ?? '/', 'http://engine');
      let path = url.pathname;
      let apiVersion = API_VERSION;
      const versioned = VERSIONED_PATH.exec(path);
      if (versioned) {
        apiVersion = versioned[1];
        path = versioned[2];
        checkVersion(apiVersion);
      }
      const match = this.router.match(req.method ?? 'GET', path);
      if (match === undefined) throw new NotFoundError(`page not found`);
      if (match === 'method-not-allowed') throw new InvalidArgumentError(`method ${req.method} not allowed for ${path}`);
      await match.handler({ req, res, params: match.params, query: url.searchParams, apiVersion, signal: abort.signal, hijack });
    } catch (error) {
      this.fail(res, error);
    } finally {
      this.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
    }
  }

  private fail(res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (errorCodeOf(error) === 'internal') this.log(`internal error: ${(error as Error)?.stack ?? message}`);
    if (res.headersSent) {
      // The status is gone; all that is left is to cut the stream so the client sees it end early.
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const status = toHttpStatus(error);
    if (status === 304) {
      res.writeHead(304);
      res.end();
      return;
    }
    const body = JSON.stringify({ message });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function checkVersion(version: string): void {
  const compare = (a: string, b: string) => {
    const [a1, a2] = a.split('.').map(Number);
    const [b1, b2] = b.split('.').map(Number);
    return a1 - b1 || a2 - b2;
  };
  if (compare(version, API_VERSION) > 0) {
    throw new InvalidArgumentError(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  if (compare(version, MIN_API_VERSION) < 0) {
    throw new InvalidArgumentError(`client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
