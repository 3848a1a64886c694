// SPDX-License-Identifier: Apache-2.0
import http from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import { API_VERSION } from '../api/system.js';
import type { SystemInfo, SystemVersion } from '../api/system.js';
import type {
  ContainerCreateRequest,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerUpdateRequest,
  ContainerUpdateResponse,
  ContainerWaitResponse,
  WaitCondition,
} from '../api/container.js';
import type { ContainerPruneResponse, ContainerStats, ContainerTopResponse } from '../api/container-stats.js';
import { decodePathStat, PATH_STAT_HEADER, type PathStat } from '../archive/path-stat.js';
import type { ExecCreateRequest, ExecInspect } from '../api/exec.js';
import type { Duplex, Readable } from 'node:stream';
import type { DiskUsage, ImageDeleteItem, ImageHistoryItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../api/image.js';
import type { ProgressMessage } from '../api/progress-message.js';
import type { BuildOptions, CommitOptions, FilesystemChange } from '../api/image-build.js';
import type { Volume, VolumeCreateRequest, VolumeListResponse, VolumePruneResponse } from '../api/volume.js';
import type { EndpointConfig, NetworkCreateRequest, NetworkCreateResponse, NetworkInspect, NetworkPruneResponse } from '../api/network.js';
import type { ErrorResponse } from '../api/error-response.js';
import type { PluginStatus } from '../plugin/plugin-status.js';
import { EngineError, PermissionDeniedError, UnavailableError } from '../errors/engine-error.js';
import { errorCodeFromHttpStatus } from '../errors/error-mapping.js';
import type { AttachContainerOptions, ContainerLogsOptions, EngineClient, ImportImageRequest, LogChunk, PullImageOptions, PushImageOptions } from './engine-client.js';
import type { RegistryAuth } from '../registry/registry.js';
import { DaemonResponseError, isDaemonResponseError, startFailureCode } from './daemon-response-error.js';
import { hijackRequest } from './hijack-request.js';
import { demuxDockerStream } from './docker-stream-demuxer.js';
import { readJsonStream } from './json-stream-reader.js';
import { toPullReference } from './pull-reference.js';
import { encodeRegistryAuth } from './registry-auth-header.js';

export interface HttpEngineClientOptions {
  /** The daemon's unix socket. */
  socketPath: string;
  /** Version prefix of every API path (`/v1.41/…`). */
  apiVersion?: string;
  /**
   * Called when no daemon listens on the socket (refused, or no socket file): once it resolves, the request that
   * found none is sent again. The request never reached a daemon, so sending it again is safe. Lets a CLI start a
   * daemon on demand instead of asking a ping before every command. Concurrent requests share one call.
   */
  onNoDaemon?: () => Promise<void>;
}

/** A list repeats its key (`changes`, `names`), as the docker CLI sends it. */
type QueryValue = string | number | boolean | string[] | undefined;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** A raw body streamed as it comes (an image archive), instead of {@link body}. */
  upload?: Readable;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** `_ping` is asked before any version is agreed, so it goes unversioned as in moby's client. */
  unversioned?: boolean;
}

/**
 * {@link EngineClient} over the Docker Engine API on a unix socket. One keep-alive agent carries every request, so
 * a CLI command's several calls share a connection; {@link close} releases it so the process can exit.
 */
export class HttpEngineClient implements EngineClient {
  readonly socketPath: string;
  private readonly prefix: string;
  private readonly agent = new http.Agent(AGENT_OPTIONS);
  private readonly onNoDaemon?: () => Promise<void>;
  private daemonStarted?: Promise<void>;

  constructor(options: HttpEngineClientOptions) {
    this.socketPath = options.socketPath;
    this.prefix = `/v${options.apiVersion ?? API_VERSION}`;
    this.onNoDaemon = options.onNoDaemon;
  }

  close(): void {
    this.agent.destroy();
  }

  async ping(signal?: AbortSignal): Promise<void> {
    const head = await this.send('HEAD', '/_ping', { unversioned: true, signal });
    // Waiting for the (empty) body's end hands the socket back to the agent before the next call wants one.
    await readBody(head);
    if (head.statusCode === 200) return;
    // Moby's client falls back to GET for proxies that refuse HEAD.
    await this.call('GET', '/_ping', { unversioned: true, signal });
  }

  version(): Promise<SystemVersion> {
    return this.call('GET', '/version');
  }

  info(): Promise<SystemInfo> {
    return this.call('GET', '/info');
  }

  reloadPlugins(): Promise<PluginStatus[]> {
    return this.call('POST', '/tsc-engine/plugins/reload');
  }

  async pullImage(options: PullImageOptions, onProgress?: (message: ProgressMessage) => void): Promise<void> {
    const reference = toPullReference(options.image);
    const response = await this.checked(
      this.send('POST', '/images/create', {
        query: { fromImage: reference.fromImage, tag: reference.tag, platform: options.platform },
        headers: { 'X-Registry-Auth': encodeRegistryAuth(options.auth) },
      }),
    );
    await followProgress(response, 'pull failed', onProgress);
  }

  async pushImage(options: PushImageOptions, onProgress?: (message: ProgressMessage) => void): Promise<void> {
    const { name, tag } = splitTag(options.image);
    const response = await this.checked(
      this.send('POST', `/images/${pathPart(name)}/push`, {
        query: { tag },
        headers: { 'X-Registry-Auth': encodeRegistryAuth(options.auth) },
      }),
    );
    await followProgress(response, 'push failed', onProgress);
  }

  async tagImage(source: string, target: string): Promise<void> {
    const { name, tag } = splitTag(target);
    await this.call('POST', `/images/${pathPart(source)}/tag`, { query: { repo: name, tag } });
  }

  login(auth: RegistryAuth): Promise<{ Status: string; IdentityToken?: string }> {
    return this.call('POST', '/auth', { body: auth });
  }

  listImages(options: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ImageSummary[]> {
    return this.call('GET', '/images/json', { query: { all: options.all, filters: filtersParam(options.filters) } });
  }

  async saveImages(names: string[]): Promise<Readable> {
    return this.checked(this.send('GET', '/images/get', { query: { names } }));
  }

  async loadImages(archive: Readable, options: { quiet?: boolean } = {}, onProgress?: (message: ProgressMessage) => void): Promise<void> {
    await followProgress(await this.checked(this.send('POST', '/images/load', { query: { quiet: options.quiet }, upload: archive })), 'load failed', onProgress);
  }

  pruneImages(options: { filters?: Record<string, string[]> } = {}): Promise<ImagePruneResponse> {
    return this.call('POST', '/images/prune', { query: { filters: filtersParam(options.filters) } });
  }

  diskUsage(): Promise<DiskUsage> {
    return this.call('GET', '/system/df');
  }

  inspectImage(name: string): Promise<ImageInspect> {
    return this.call('GET', `/images/${pathPart(name)}/json`);
  }

  imageHistory(name: string): Promise<ImageHistoryItem[]> {
    return this.call('GET', `/images/${pathPart(name)}/history`);
  }

  async importImage(archive: Readable, options: ImportImageRequest = {}): Promise<string> {
    const query = {
      fromSrc: '-',
      repo: options.reference || undefined,
      message: options.message || undefined,
      platform: options.platform || undefined,
      changes: options.changes,
    };
    let id = '';
    await followProgress(await this.checked(this.send('POST', '/images/create', { query, upload: archive })), 'import failed', (message) => {
      if (message.status) id = message.status;
    });
    return id;
  }

  async buildImage(context: Readable, options: BuildOptions = {}, onProgress?: (message: ProgressMessage) => void): Promise<string> {
    const query = {
      // `rm` is sent either way: the daemon removes intermediate containers unless told not to.
      rm: String(options.rm !== false),
      forcerm: options.forceRm,
      q: options.quiet,
      t: options.tags,
      dockerfile: options.dockerfile || undefined,
      buildargs: options.buildArgs && JSON.stringify(options.buildArgs),
      labels: options.labels && JSON.stringify(options.labels),
      networkmode: options.networkMode || undefined,
      pull: options.pull,
    };
    let id = '';
    await followProgress(await this.checked(this.send('POST', '/build', { query, upload: context })), 'build failed', (message) => {
      const aux = message.aux as { ID?: string } | undefined;
      if (aux?.ID) id = aux.ID;
      onProgress?.(message);
    });
    return id;
  }

  containerChanges(id: string): Promise<FilesystemChange[]> {
    return this.call('GET', `/containers/${pathPart(id)}/changes`);
  }

  async commitContainer(id: string, options: CommitOptions = {}): Promise<string> {
    const { repo, tag, comment, author, changes } = options;
    // `pause` is sent either way: the daemon pauses unless told not to.
    const query = {
      container: id,
      pause: String(options.pause !== false),
      repo: repo || undefined,
      tag: tag || undefined,
      comment: comment || undefined,
      author: author || undefined,
      changes,
    };
    return (await this.call<{ Id: string }>('POST', '/commit', { query })).Id;
  }

  removeImage(name: string, options: { force?: boolean; noprune?: boolean } = {}): Promise<ImageDeleteItem[]> {
    return this.call('DELETE', `/images/${pathPart(name)}`, { query: { force: options.force, noprune: options.noprune } });
  }

  createContainer(request: ContainerCreateRequest, options: { name?: string } = {}): Promise<ContainerCreateResponse> {
    return this.call('POST', '/containers/create', { query: { name: options.name }, body: request });
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.call('POST', `/containers/${pathPart(id)}/start`);
    } catch (error) {
      const code = error instanceof DaemonResponseError ? startFailureCode(error.message) : undefined;
      throw code && error instanceof DaemonResponseError ? new DaemonResponseError(error.status, error.message, { code, cause: error }) : error;
    }
  }

  async stopContainer(id: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.call('POST', `/containers/${pathPart(id)}/stop`, { query: { t: options.timeout, signal: options.signal } });
  }

  async killContainer(id: string, options: { signal?: string } = {}): Promise<void> {
    await this.call('POST', `/containers/${pathPart(id)}/kill`, { query: { signal: options.signal } });
  }

  async removeContainer(id: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.call('DELETE', `/containers/${pathPart(id)}`, { query: { force: options.force, v: options.volumes } });
  }

  listContainers(options: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ContainerSummary[]> {
    return this.call('GET', '/containers/json', { query: { all: options.all, filters: filtersParam(options.filters) } });
  }

  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.call('GET', `/containers/${pathPart(id)}/json`);
  }

  async restartContainer(id: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.call('POST', `/containers/${pathPart(id)}/restart`, { query: { t: options.timeout, signal: options.signal } });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.call('POST', `/containers/${pathPart(id)}/rename`, { query: { name } });
  }

  updateContainer(id: string, update: ContainerUpdateRequest): Promise<ContainerUpdateResponse> {
    return this.call('POST', `/containers/${pathPart(id)}/update`, { body: update });
  }

  async pauseContainer(id: string, action: 'pause' | 'unpause'): Promise<void> {
    await this.call('POST', `/containers/${pathPart(id)}/${action}`);
  }

  pruneContainers(options: { filters?: Record<string, string[]> } = {}): Promise<ContainerPruneResponse> {
    return this.call('POST', '/containers/prune', { query: { filters: filtersParam(options.filters) } });
  }

  topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse> {
    return this.call('GET', `/containers/${pathPart(id)}/top`, { query: { ps_args: psArgs || undefined } });
  }

  async *containerStats(id: string, options: { stream?: boolean; oneShot?: boolean } = {}, signal?: AbortSignal): AsyncIterable<ContainerStats> {
    const stream = options.stream ?? false;
    // Moby's client sends `stream=0` explicitly: the daemon's default is to stream.
    const query = { stream: stream ? '1' : '0', 'one-shot': options.oneShot };
    const response = await this.checked(this.send('GET', `/containers/${pathPart(id)}/stats`, { query, signal }));
    yield* readJsonStream<ContainerStats>(response);
  }

  async statContainerPath(id: string, path: string): Promise<PathStat> {
    const response = await this.checked(this.send('HEAD', `/containers/${pathPart(id)}/archive`, { query: { path } }));
    await readBody(response);
    return pathStatOf(response);
  }

  async getContainerArchive(id: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    const response = await this.checked(this.send('GET', `/containers/${pathPart(id)}/archive`, { query: { path } }));
    return { stat: pathStatOf(response), tar: response };
  }

  exportContainer(id: string): Promise<Readable> {
    return this.checked(this.send('GET', `/containers/${pathPart(id)}/export`));
  }

  async putContainerArchive(
    id: string,
    path: string,
    tar: Readable,
    options: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {},
  ): Promise<void> {
    const query = { path, noOverwriteDirNonDir: options.noOverwriteDirNonDir, copyUIDGID: options.copyUIDGID };
    await readBody(await this.checked(this.send('PUT', `/containers/${pathPart(id)}/archive`, { query, upload: tar })));
  }

  waitContainer(id: string, condition?: WaitCondition): { registered: Promise<void>; result: Promise<ContainerWaitResponse> } {
    const response = this.checked(this.send('POST', `/containers/${pathPart(id)}/wait`, { query: { condition } }));
    const registered = response.then(() => undefined);
    const result = response.then((answer) => readJson<ContainerWaitResponse>(answer));
    // Callers may await only one of the two; the other must not become an unhandled rejection.
    registered.catch(ignore);
    result.catch(ignore);
    return { registered, result };
  }

  createExec(container: string, request: ExecCreateRequest): Promise<{ Id: string }> {
    return this.call('POST', `/containers/${pathPart(container)}/exec`, { body: request });
  }

  startExecAttached(id: string, options: { tty: boolean; consoleSize?: [number, number] }): Promise<Duplex> {
    const body = { Detach: false, Tty: options.tty, ConsoleSize: options.consoleSize };
    return this.hijack(`/exec/${pathPart(id)}/start`, undefined, body);
  }

  async startExecDetached(id: string, options: { tty: boolean }): Promise<void> {
    await readBody(await this.checked(this.send('POST', `/exec/${pathPart(id)}/start`, { body: { Detach: true, Tty: options.tty } })));
  }

  attachContainer(id: string, options: AttachContainerOptions): Promise<Duplex> {
    const { stdin, stdout = true, stderr = true, logs, detachKeys } = options;
    return this.hijack(`/containers/${pathPart(id)}/attach`, { stream: true, stdin, stdout, stderr, logs, detachKeys });
  }

  async resizeContainer(id: string, size: { height: number; width: number }): Promise<void> {
    await readBody(await this.checked(this.send('POST', `/containers/${pathPart(id)}/resize`, { query: { h: size.height, w: size.width } })));
  }

  async resizeExec(id: string, size: { height: number; width: number }): Promise<void> {
    await readBody(await this.checked(this.send('POST', `/exec/${pathPart(id)}/resize`, { query: { h: size.height, w: size.width } })));
  }

  /** A hijacked connection; a daemon not yet running is started first, as for any request. */
  private hijack(path: string, query?: Record<string, QueryValue>, body?: unknown): Promise<Duplex> {
    const options = { socketPath: this.socketPath, path: `${this.prefix}${path}${queryString(query)}`, body };
    return this.withDaemon(() => hijackRequest(options));
  }

  inspectExec(id: string): Promise<ExecInspect> {
    return this.call('GET', `/exec/${pathPart(id)}/json`);
  }

  async *containerLogs(id: string, options: ContainerLogsOptions, signal?: AbortSignal): AsyncIterable<LogChunk> {
    try {
      // Without a TTY the daemon frames stdout and stderr; with one it sends the raw terminal bytes.
      const tty = options.tty ?? (await this.inspectContainer(id)).Config.Tty === true;
      const response = await this.checked(
        this.send('GET', `/containers/${pathPart(id)}/logs`, {
          query: {
            stdout: options.stdout ?? true,
            stderr: options.stderr ?? true,
            follow: options.follow,
            timestamps: options.timestamps,
            tail: options.tail,
            since: options.since,
            until: options.until,
          },
          signal,
        }),
      );
      try {
        if (tty) {
          for await (const data of response as AsyncIterable<Buffer>) yield { stream: 'stdout', data };
        } else {
          yield* demuxDockerStream(response);
        }
      } finally {
        response.destroy();
      }
    } catch (error) {
      // Aborting is how a follower stops listening; it is not a failure.
      if (signal?.aborted) return;
      throw error;
    }
  }

  listVolumes(options: { filters?: Record<string, string[]> } = {}): Promise<VolumeListResponse> {
    return this.call('GET', '/volumes', { query: { filters: filtersParam(options.filters) } });
  }

  createVolume(request: VolumeCreateRequest): Promise<Volume> {
    return this.call('POST', '/volumes/create', { body: request });
  }

  inspectVolume(name: string): Promise<Volume> {
    return this.call('GET', `/volumes/${pathPart(name)}`);
  }

  async removeVolume(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('DELETE', `/volumes/${pathPart(name)}`, { query: { force: options.force } });
  }

  pruneVolumes(options: { filters?: Record<string, string[]> } = {}): Promise<VolumePruneResponse> {
    return this.call('POST', '/volumes/prune', { query: { filters: filtersParam(options.filters) } });
  }

  listNetworks(options: { filters?: Record<string, string[]> } = {}): Promise<NetworkInspect[]> {
    return this.call('GET', '/networks', { query: { filters: filtersParam(options.filters) } });
  }

  createNetwork(request: NetworkCreateRequest): Promise<NetworkCreateResponse> {
    return this.call('POST', '/networks/create', { body: request });
  }

  inspectNetwork(idOrName: string): Promise<NetworkInspect> {
    return this.call('GET', `/networks/${pathPart(idOrName)}`);
  }

  async removeNetwork(idOrName: string): Promise<void> {
    await this.call('DELETE', `/networks/${pathPart(idOrName)}`);
  }

  async connectNetwork(idOrName: string, container: string, endpoint: EndpointConfig = {}): Promise<void> {
    await this.call('POST', `/networks/${pathPart(idOrName)}/connect`, { body: { Container: container, EndpointConfig: endpoint } });
  }

  async disconnectNetwork(idOrName: string, container: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('POST', `/networks/${pathPart(idOrName)}/disconnect`, { body: { Container: container, Force: options.force } });
  }

  pruneNetworks(): Promise<NetworkPruneResponse> {
    return this.call('POST', '/networks/prune');
  }

  private async call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return readJson<T>(await this.checked(this.send(method, path, options)));
  }

  /** Resolves with the response once its headers arrive, whatever the status. */
  private send(method: string, path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    return this.withDaemon(() => this.request(method, path, options));
  }

  /**
   * Makes one request by `attempt`; when it finds no daemon, has `onNoDaemon` start one (a single start shared by
   * concurrent requests) and makes it again. A failed connection becomes the engine's error; the daemon's own answers pass as
   * they are.
   */
  private async withDaemon<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!this.onNoDaemon || !isNoDaemon(error as NodeJS.ErrnoException)) throw this.connectionError(error);
      this.daemonStarted ??= this.onNoDaemon();
      await this.daemonStarted;
      return attempt().catch((retryError: unknown) => {
        throw this.connectionError(retryError);
      });
    }
  }

  private request(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.upload) headers['Content-Type'] = 'application/x-tar';
    else headers['Content-Length'] = body?.length ?? 0;
    if (body) headers['Content-Type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method,
          path: `${options.unversioned ? '' : this.prefix}${path}${queryString(options.query)}`,
          headers,
          signal: options.signal,
        },
        resolve,
      );
      request.on('error', reject);
      if (options.upload) {
        options.upload.once('error', (error) => request.destroy(error));
        options.upload.pipe(request);
      } else request.end(body);
    });
  }

  private async checked(pending: Promise<http.IncomingMessage>): Promise<http.IncomingMessage> {
    const response = await pending;
    const status = response.statusCode ?? 500;
    if (status < 400) return response;
    const text = (await readBody(response)).toString('utf8');
    throw new DaemonResponseError(status, errorMessage(status, response.headers['content-type'], text, this.prefix));
  }

  private connectionError(failure: unknown): Error {
    if (isDaemonResponseError(failure)) return failure;
    const error = failure as NodeJS.ErrnoException;
    const address = `unix://${this.socketPath}`;
    if (isNoDaemon(error)) {
      return new UnavailableError(`cannot connect to the tsc-engine daemon at ${address}`, {
        cause: error,
        hint: 'is the daemon running? Start it with `tsc-engine daemon`, or drop --no-autostart to let the CLI start it',
      });
    }
    switch (error.code) {
      case 'EACCES':
        return new PermissionDeniedError(`permission denied while connecting to the tsc-engine daemon at ${address}`, {
          cause: error,
          hint: 'run the command as root or as a user allowed to use the socket',
        });
      case 'ABORT_ERR':
        return error;
      default:
        return new UnavailableError(`connection to the tsc-engine daemon at ${address}: ${error.message}`, { cause: error });
    }
  }
}

// `servername` is TLS's SNI, meaningless on a unix socket. Left unset, node's agent derives it from the host with
// net.isIP, whose first call compiles a large IPv6 regular expression: 10-20 ms of every CLI command's start.
const AGENT_OPTIONS: http.AgentOptions & Pick<ConnectionOptions, 'servername'> = { keepAlive: true, servername: '' };

function ignore(): void {}

function pathStatOf(response: http.IncomingMessage): PathStat {
  const header = response.headers[PATH_STAT_HEADER.toLowerCase()];
  if (typeof header !== 'string') throw new EngineError('internal', `the daemon sent no ${PATH_STAT_HEADER} header`);
  return decodePathStat(header);
}

/** Nothing listens on the socket: the connection was refused or the socket file is missing. */
function isNoDaemon(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNREFUSED' || error.code === 'ENOENT';
}

/** Filters as the `filters` query parameter, left out when there are none. */
function filtersParam(filters: Record<string, string[]> | undefined): string | undefined {
  return filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
}

/** Keeps `/` and `:` of image names readable as Docker's client sends them, escaping what would break the URL. */
function pathPart(value: string): string {
  return encodeURI(value).replace(/[?#]/g, encodeURIComponent);
}

/** Moby's conventions: booleans as `1`, false and unset values left out. */
function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === false) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Hands each message of a pull or push stream to `onProgress`. The 200 is long sent when a transfer fails half-way,
 * so the daemon reports the failure inside the stream, with the status it would have had and its hint.
 */
async function followProgress(response: http.IncomingMessage, fallback: string, onProgress?: (message: ProgressMessage) => void): Promise<void> {
  for await (const message of readJsonStream<ProgressMessage>(response)) {
    if (message.errorDetail || message.error) {
      const status = message.errorDetail?.code;
      const code = status !== undefined && status >= 400 && status < 600 ? errorCodeFromHttpStatus(status) : 'internal';
      response.destroy();
      throw new EngineError(code, message.errorDetail?.message ?? message.error ?? fallback, { hint: message.errorDetail?.hint });
    }
    onProgress?.(message);
  }
}

/** `repo:tag` → repo and tag, as the push and tag endpoints take them; a port's colon is not a tag's. */
function splitTag(reference: string): { name: string; tag?: string } {
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/') || reference.includes('@')) return { name: reference };
  return { name: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

async function readBody(response: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readJson<T>(response: http.IncomingMessage): Promise<T> {
  const text = (await readBody(response)).toString('utf8');
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new EngineError('internal', `daemon answered invalid JSON: ${text.slice(0, 120)}`, { cause });
  }
}

function errorMessage(status: number, contentType: string | undefined, text: string, prefix: string): string {
  if (contentType?.split(';')[0].trim() === 'application/json') {
    try {
      const { message } = JSON.parse(text) as Partial<ErrorResponse>;
      if (typeof message === 'string' && message !== '') return message;
    } catch {
      // Not JSON after all: fall through to the raw text, as moby's client does.
    }
  }
  return text.trim() || `daemon answered ${status} without a message; check that it supports API ${prefix.slice(2)}`;
}
