// SPDX-License-Identifier: Apache-2.0
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
import type { PathStat } from '../archive/path-stat.js';
import type { ExecCreateRequest, ExecInspect } from '../api/exec.js';
import type { Duplex } from 'node:stream';
import type { Readable } from 'node:stream';
import type { DiskUsage, ImageDeleteItem, ImageHistoryItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../api/image.js';
import type { ProgressMessage } from '../api/progress-message.js';
import type { BuildOptions, CommitOptions, FilesystemChange } from '../api/image-build.js';
import type { SystemInfo, SystemVersion } from '../api/system.js';
import type { EndpointConfig, NetworkCreateRequest, NetworkCreateResponse, NetworkInspect, NetworkPruneResponse } from '../api/network.js';
import type { PluginStatus } from '../plugin/plugin-status.js';
import type { Volume, VolumeCreateRequest, VolumeListResponse, VolumePruneResponse } from '../api/volume.js';
import type { RegistryAuth } from '../registry/registry.js';

/**
 * What the CLI and compose ask of an engine, one method per Docker Engine API operation (moby's client). The
 * implementation speaks HTTP to a daemon ({@link HttpEngineClient}); errors are {@link EngineError}s carrying the
 * daemon's message and a code derived from the HTTP status.
 */
export interface EngineClient {
  ping(signal?: AbortSignal): Promise<void>;
  version(): Promise<SystemVersion>;
  info(): Promise<SystemInfo>;
  /** tsc-engine's own: the daemon loads newly installed engine plugins and answers every plugin's status. */
  reloadPlugins(): Promise<PluginStatus[]>;

  /** Pulls an image; `onProgress` sees each JSON progress message. Rejects with the in-stream error, if any. */
  pullImage(options: PullImageOptions, onProgress?: (message: ProgressMessage) => void): Promise<void>;
  /** Pushes an image's tag (every tag of the repository without one); rejects with the in-stream error, if any. */
  pushImage(options: PushImageOptions, onProgress?: (message: ProgressMessage) => void): Promise<void>;
  /** Names the image `source` (name or id) `target` (`repo[:tag]`). */
  tagImage(source: string, target: string): Promise<void>;
  /** Checks credentials with a registry (`docker login`); rejects with an unauthorized error when refused. */
  login(auth: RegistryAuth): Promise<{ Status: string; IdentityToken?: string }>;
  /** Filters `dangling`, `label`, `reference` (a glob on the name) and `until`. */
  listImages(options?: { all?: boolean; filters?: Record<string, string[]> }): Promise<ImageSummary[]>;
  /** `docker save`: the archive of the named images (Docker's format, OCI layout included). */
  saveImages(names: string[]): Promise<Readable>;
  /** `docker load`: `onProgress` sees `Loaded image: …` (and, unless quiet, layer progress). */
  loadImages(archive: Readable, options?: { quiet?: boolean }, onProgress?: (message: ProgressMessage) => void): Promise<void>;
  /** Removes unused images: dangling ones, or all with the filter `dangling=false`; also `label`, `label!`, `until`. */
  pruneImages(options?: { filters?: Record<string, string[]> }): Promise<ImagePruneResponse>;
  /** `docker system df`'s data. */
  diskUsage(): Promise<DiskUsage>;
  inspectImage(name: string): Promise<ImageInspect>;
  /** `docker history`: the image's build steps, newest first. */
  imageHistory(name: string): Promise<ImageHistoryItem[]>;
  /** `docker import`: a file system tar (plain, gzip or zstd) as a one-layer image; answers its id. */
  importImage(archive: Readable, options?: ImportImageRequest): Promise<string>;
  removeImage(name: string, options?: { force?: boolean; noprune?: boolean }): Promise<ImageDeleteItem[]>;
  /** Builds an image from a context tar (`docker build`, classic builder); answers its id. */
  buildImage(context: Readable, options?: BuildOptions, onProgress?: (message: ProgressMessage) => void): Promise<string>;
  /** `docker diff`: what the container changed in its file system. */
  containerChanges(id: string): Promise<FilesystemChange[]>;
  /** `docker commit`: the container's changes as a new image; answers its id. */
  commitContainer(id: string, options?: CommitOptions): Promise<string>;

  createContainer(request: ContainerCreateRequest, options?: { name?: string }): Promise<ContainerCreateResponse>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, options?: { timeout?: number; signal?: string }): Promise<void>;
  killContainer(id: string, options?: { signal?: string }): Promise<void>;
  removeContainer(id: string, options?: { force?: boolean; volumes?: boolean }): Promise<void>;
  listContainers(options?: { all?: boolean; filters?: Record<string, string[]> }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  /** Stops the container if it runs, then starts it. */
  restartContainer(id: string, options?: { timeout?: number; signal?: string }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  /** Changes the container's limits (at once if it runs) and restart policy: `docker update`. */
  updateContainer(id: string, update: ContainerUpdateRequest): Promise<ContainerUpdateResponse>;
  /** Freezes (`pause`) or thaws (`unpause`) every process of the container. */
  pauseContainer(id: string, action: 'pause' | 'unpause'): Promise<void>;
  /** Removes stopped containers; filters `until`, `label`, `label!`. */
  pruneContainers(options?: { filters?: Record<string, string[]> }): Promise<ContainerPruneResponse>;
  /** The container's processes; `psArgs` as for `ps` (default: `-ef`'s columns). */
  topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse>;
  /** One sample (`stream` false) or a sample a second until the container stops or `signal` aborts. */
  containerStats(id: string, options?: { stream?: boolean; oneShot?: boolean }, signal?: AbortSignal): AsyncIterable<ContainerStats>;
  /** What a container path is (`docker cp`'s stat); a symlink is not followed. */
  statContainerPath(id: string, path: string): Promise<PathStat>;
  /** A container path as a tar stream whose entries start with the path's base name, and its stat. */
  getContainerArchive(id: string, path: string): Promise<{ stat: PathStat; tar: Readable }>;
  /** Extracts a tar into the container directory `path`, which must exist. */
  putContainerArchive(id: string, path: string, tar: Readable, options?: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean }): Promise<void>;
  /** `docker export`: the container's whole file system (volumes and binds left out) as a tar stream. */
  exportContainer(id: string): Promise<Readable>;
  /**
   * Waits for a container. The returned `registered` promise resolves once the daemon has accepted the wait (its
   * response headers arrived), so a caller can start the container afterwards without missing its exit.
   */
  waitContainer(id: string, condition?: WaitCondition): { registered: Promise<void>; result: Promise<ContainerWaitResponse> };
  /** Streams a container's log as demultiplexed chunks. */
  containerLogs(id: string, options: ContainerLogsOptions, signal?: AbortSignal): AsyncIterable<LogChunk>;
  /** Creates an exec in a running container (`docker exec`); answers its id. */
  createExec(container: string, request: ExecCreateRequest): Promise<{ Id: string }>;
  inspectExec(id: string): Promise<ExecInspect>;
  /**
   * Starts an exec on a connection of its own both ways (`docker exec -i`): what is written goes to its stdin,
   * what is read is its output, raw with `tty`, else in Docker's frames (see `demuxDockerStream`).
   */
  startExecAttached(id: string, options: { tty: boolean; consoleSize?: [number, number] }): Promise<Duplex>;
  /** Starts an exec and returns at once, the process running on with its output discarded (`exec -d`). */
  startExecDetached(id: string, options: { tty: boolean }): Promise<void>;
  /** Attaches to a container's stdio on a connection of its own, as {@link startExecAttached}. */
  attachContainer(id: string, options: AttachContainerOptions): Promise<Duplex>;
  resizeContainer(id: string, size: { height: number; width: number }): Promise<void>;
  resizeExec(id: string, size: { height: number; width: number }): Promise<void>;

  listVolumes(options?: { filters?: Record<string, string[]> }): Promise<VolumeListResponse>;
  createVolume(request: VolumeCreateRequest): Promise<Volume>;
  inspectVolume(name: string): Promise<Volume>;
  /** `force` makes a missing volume no error; a volume in use is never removed. */
  removeVolume(name: string, options?: { force?: boolean }): Promise<void>;
  /** Filters `label`, `label!` and `all` (`true`: named volumes too, not only anonymous ones). */
  pruneVolumes(options?: { filters?: Record<string, string[]> }): Promise<VolumePruneResponse>;

  listNetworks(options?: { filters?: Record<string, string[]> }): Promise<NetworkInspect[]>;
  createNetwork(request: NetworkCreateRequest): Promise<NetworkCreateResponse>;
  inspectNetwork(idOrName: string): Promise<NetworkInspect>;
  removeNetwork(idOrName: string): Promise<void>;
  connectNetwork(idOrName: string, container: string, endpoint?: EndpointConfig): Promise<void>;
  disconnectNetwork(idOrName: string, container: string, options?: { force?: boolean }): Promise<void>;
  pruneNetworks(): Promise<NetworkPruneResponse>;
}

/** DI token for {@link EngineClient}. */
export const EngineClient = Symbol.for('tsc-engine:EngineClient');

export interface PullImageOptions {
  /** Any reference Docker accepts: `busybox`, `127.0.0.1:5000/x:1`, `x@sha256:…`. */
  image: string;
  platform?: string;
  auth?: RegistryAuth;
}

export interface ImportImageRequest {
  /** `repo[:tag]` to name the image. */
  reference?: string;
  /** The history comment (`-m`); `Imported from -` by default. */
  message?: string;
  /** Dockerfile instructions for the config (`-c 'CMD ["sh"]'`). */
  changes?: string[];
  /** `os/arch[/variant]`; the daemon's by default. */
  platform?: string;
}

export interface PushImageOptions {
  /** `127.0.0.1:5000/x:1`, or a repository alone to push all its tags. */
  image: string;
  auth?: RegistryAuth;
}

export interface ContainerLogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  timestamps?: boolean;
  /** `all` or a number of lines. */
  tail?: string;
  /** Unix seconds (may be fractional) or RFC 3339. */
  since?: string;
  until?: string;
  /**
   * Whether the container has a TTY (raw stream) or not (multiplexed frames), when the caller already knows; left
   * out, the client inspects the container first.
   */
  tty?: boolean;
}

export interface LogChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** Query of `POST /containers/{id}/attach`. */
export interface AttachContainerOptions {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Replay the log first. */
  logs?: boolean;
  /** Docker's notation (`ctrl-p,ctrl-q`, the default). */
  detachKeys?: string;
}
