// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import type { ContainerCreateRequest, WaitCondition } from '../api/container.js';
import { EngineConfig } from '../config/engine-config.js';
import {
  ConflictError,
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  NotModifiedError,
} from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { ImageStore } from '../image/image-store.js';
import type { ImageUsage, ImageUser } from '../image/image-usage.js';
import { consoleSize } from '../runtime/console-size.js';
import { buildContainerSpec, mergeEnv } from '../runtime/container-spec-builder.js';
import { initBinaryFor } from '../runtime/init-process.js';
import { checkContainerResources, ociResources } from '../runtime/resource-limits.js';
import { ociSpecJson } from '../runtime/oci-spec-json.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { Supervisor, type LogEntry, type LogReadOptions, type TaskExit } from '../supervisor/supervisor.js';
import { ContainerMounts } from '../volume/container-mounts.js';
import { containerEvent } from './container-event.js';
import { ContainerSecurity } from './container-security.js';
import { applyRunOptions, validateRunOptions } from './container-run-options.js';
import { NetworkService } from '../network/network-service.js';
import { randomContainerName, validateContainerName } from './container-name.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';
import { ContainerStore } from './container-store.js';
import { RestartManager, validateRestartPolicy } from './restart-manager.js';
import { ContainerRemovals } from './container-removals.js';
import { mergeHealthConfig } from './health-config.js';
import { applyPidMode } from './pid-mode.js';

/** What a waiter waits for: a Docker wait condition, or the start a log follower waits for. */
type WaiterCondition = WaitCondition | 'started';

interface Waiter {
  condition: WaiterCondition;
  resolve(exitCode: number): void;
}

/** How long removal waits for log readers of the container to reach the end of its log. */
const READER_GRACE_MS = 5000;

/** Seconds `stop` waits after the stop signal before it kills, when neither request nor container say. */
const DEFAULT_STOP_TIMEOUT = 10;

/**
 * The lifecycle of containers: create from an image, start through the supervisor, observe the exit, stop, kill,
 * remove; and, when the daemon starts, pick up containers a previous daemon left running.
 */
@injectable()
export class ContainerService implements ImageUsage {
  private readonly records = new Map<string, ContainerRecord>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Removals of exited tasks still under way, which a restart or removal of the container must wait for. */
  private readonly taskCleanups = new Map<string, Promise<void>>();
  /** Log readers per container, which removal lets finish before it deletes the log. */
  private readonly readers = new Map<string, Set<Promise<void>>>();
  /** Containers whose exit is being watched, so a restore never watches one twice. */
  private readonly watched = new Set<string>();
  private readonly restarts = new RestartManager({ start: (id) => this.start(id), save: (record) => this.store.save(record) });
  private readonly removals: ContainerRemovals;

  constructor(
    @inject(EngineConfig) private readonly config: EngineConfig,
    @inject(ContainerStore) private readonly store: ContainerStore,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(Supervisor) private readonly supervisor: Supervisor,
    @inject(RuntimeRegistry) private readonly runtimes: RuntimeRegistry,
    @inject(EventBus) private readonly events: EventBus,
    @inject(ContainerMounts) private readonly mounts: ContainerMounts,
    @inject(NetworkService) private readonly networks: NetworkService,
    @inject(ContainerSecurity) private readonly security: ContainerSecurity,
  ) {
    this.removals = new ContainerRemovals(snapshotter, join(config.execRoot, 'containers'));
  }

  /** Loads records and reconciles them with the tasks the supervisor still has. */
  async restore(): Promise<void> {
    const tasks = new Set((await this.supervisor.restore()).map((t) => t.id));
    await this.networks.load();
    for (const record of await this.store.loadAll()) {
      this.records.set(record.id, record);
      this.mounts.adopt(record);
      if (record.state.status !== 'running') continue;
      if (tasks.has(record.id)) {
        this.networks.adopt(record);
        this.watchExit(record);
      } else {
        // The monitor is gone without a recorded exit (the host rebooted): the container cannot be running.
        await this.recordExit(record, { exitCode: 255, exitedAt: new Date() }, 'task lost: its monitor is gone');
      }
    }
    await this.removals.sweep(new Set(this.records.keys()), tasks, (id) => this.supervisor.delete(id));
    await this.networks.sweep(this.list());
    await Promise.all(
      this.list()
        // A container that was waiting for its restart when the previous daemon stopped gets it now.
        .filter((r) => r.state.status === 'restarting' || (r.state.status !== 'running' && this.restarts.startsWithDaemon(r)))
        .map((r) => this.start(r.id).catch((error: unknown) => process.emitWarning(`container ${r.id}: restart policy: ${(error as Error).message}`))),
    );
  }

  list(): ContainerRecord[] {
    return [...this.records.values()].sort((a, b) => b.created.localeCompare(a.created));
  }

  /** Finds a container by full id, name, or unique id prefix, as Docker does. */
  get(idOrName: string): ContainerRecord {
    const key = idOrName.replace(/^\//, '');
    const exact = this.records.get(key) ?? this.list().find((r) => r.name === key);
    if (exact) return exact;
    const matches = key.length > 0 ? this.list().filter((r) => r.id.startsWith(key)) : [];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${key}`);
    throw new NotFoundError(`No such container: ${idOrName}`);
  }

  async create(request: ContainerCreateRequest, name?: string): Promise<ContainerRecord> {
    if (!request.Image) throw new InvalidArgumentError('config: Image is required');
    const containerName = name ? validateContainerName(name) : this.freeName();
    const holder = this.list().find((r) => r.name === containerName);
    if (holder) {
      throw new ConflictError(
        `Conflict. The container name "/${containerName}" is already in use by container "${holder.id}". ` +
          'You have to remove (or rename) that container to be able to reuse that name.',
      );
    }
    const image = await this.images.resolve(request.Image).catch((error: unknown) => {
      throw new NotFoundError(`No such image: ${request.Image}`, { cause: error });
    });
    const imageConfig = (await this.images.config(image)).config ?? {};
    const runtime = this.runtimes.get(request.HostConfig?.Runtime || this.config.defaultRuntime).id;

    // Docker's rule: an entrypoint given on create discards the image's Cmd unless a Cmd is given too.
    const entrypoint = request.Entrypoint ?? imageConfig.Entrypoint ?? [];
    const cmd = request.Cmd ?? (request.Entrypoint ? [] : imageConfig.Cmd ?? []);
    const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
    if (argv.length === 0) throw new InvalidArgumentError('no command specified');

    const network = this.networks.plan(request, imageConfig.ExposedPorts, (key) => this.get(key));
    const id = randomBytes(32).toString('hex');
    const { HostConfig: hostConfig = {}, NetworkingConfig: _networking, ...requestConfig } = request;
    validateRestartPolicy(hostConfig);
    this.security.validate(hostConfig);
    await validateRunOptions(hostConfig, (key) => this.get(key));
    // A missing init fails `create`, not only the later start, as the user asked for it here.
    initBinaryFor(hostConfig.Init, this.config);
    const limits = await checkContainerResources(hostConfig, this.runtimes.get(runtime));
    const record: ContainerRecord = {
      id,
      name: containerName,
      created: new Date().toISOString(),
      imageId: image.id,
      config: {
        ...requestConfig,
        Hostname: request.Hostname || id.slice(0, 12),
        User: request.User ?? imageConfig.User ?? '',
        Env: mergeEnv(imageConfig.Env ?? [], request.Env ?? []),
        Cmd: cmd,
        Entrypoint: entrypoint.length > 0 ? entrypoint : null,
        WorkingDir: request.WorkingDir || imageConfig.WorkingDir || '',
        Labels: { ...(imageConfig.Labels ?? {}), ...(request.Labels ?? {}) },
        StopSignal: request.StopSignal ?? imageConfig.StopSignal,
        Healthcheck: mergeHealthConfig(imageConfig.Healthcheck, request.Healthcheck),
        Image: request.Image,
      },
      hostConfig: { ...hostConfig, ...limits.resources, Runtime: runtime, NetworkMode: network.mode },
      warnings: limits.warnings,
      path: argv[0],
      args: argv.slice(1),
      runtime,
      layers: image.chainIds,
      logPath: join(this.store.directory(id), 'container.log'),
      state: { status: 'created', pid: 0, exitCode: 0, error: '', startedAt: ZERO_TIME, finishedAt: ZERO_TIME },
      restartCount: 0,
      network,
    };
    record.mounts = await this.mounts.prepare(record, imageConfig.Volumes);
    await this.store.save(record);
    this.records.set(id, record);
    this.publish(record, 'create');
    return record;
  }

  async start(idOrName: string): Promise<void> {
    const record = this.get(idOrName);
    if (record.state.paused) throw new ConflictError(`cannot start a paused container ${record.id}, try unpause instead`);
    if (record.state.status === 'running') throw new NotModifiedError(`container ${record.id} is already started`);
    this.restarts.starting(record);
    await this.taskCleanups.get(record.id);
    const bundle = this.bundleDir(record.id);
    const rootfs = join(bundle, 'rootfs');
    try {
      await mkdir(rootfs, { recursive: true });
      await this.snapshotter.mountRootfs(record.id, record.layers, rootfs, { transient: record.hostConfig.AutoRemove === true });
      const mounts = await this.mounts.setup(record, rootfs);
      const spec = await buildContainerSpec({
        id: record.id,
        rootfs,
        image: {
          User: record.config.User,
          Env: record.config.Env,
          Entrypoint: record.config.Entrypoint,
          Cmd: record.config.Cmd,
          WorkingDir: record.config.WorkingDir,
        },
        hostname: record.config.Hostname,
        tty: record.config.Tty,
        consoleSize: consoleSize(record.hostConfig.ConsoleSize),
        readonlyRootfs: record.hostConfig.ReadonlyRootfs,
        mounts,
        capAdd: record.hostConfig.CapAdd ?? undefined,
        capDrop: record.hostConfig.CapDrop ?? undefined,
        privileged: record.hostConfig.Privileged,
        ...(await this.security.specOptions(record.hostConfig)),
        init: initBinaryFor(record.hostConfig.Init, this.config),
        resources: ociResources(record.hostConfig),
      });
      await applyRunOptions(spec, record.hostConfig, rootfs);
      applyPidMode(spec, record, (key) => this.get(key));
      await this.networks.attach(record, spec, (key) => this.get(key));
      const runtime = this.runtimes.get(record.runtime);
      await writeFile(join(bundle, 'config.json'), ociSpecJson(runtime.adaptSpec(spec)));
      const task = await this.supervisor.create({
        id: record.id, bundle, runtime, logPath: record.logPath,
        terminal: record.config.Tty, openStdin: record.config.OpenStdin, stdinOnce: record.config.StdinOnce,
      });
      await this.supervisor.start(record.id);
      record.state = { ...record.state, status: 'running', pid: task.pid, exitCode: 0, error: '', oomKilled: undefined, startedAt: new Date().toISOString(), finishedAt: ZERO_TIME };
    } catch (error) {
      await this.supervisor.delete(record.id).catch(() => undefined);
      await this.networks.release(record);
      const code = error instanceof EngineError ? error.code : 'internal';
      record.state = { ...record.state, error: (error as Error).message, exitCode: code === 'command-not-found' ? 127 : code === 'cannot-invoke' ? 126 : 128 };
      await this.store.save(record);
      // As Docker, a `--rm` container that cannot start is removed: `docker run --rm` waits for that removal.
      if (record.hostConfig.AutoRemove) await this.destroy(record, true);
      throw error;
    }
    await this.store.save(record);
    this.publish(record, 'start');
    this.settle(record.id, ['started'], 0);
    this.watchExit(record);
  }

  async stop(idOrName: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const record = this.get(idOrName);
    await this.restarts.settled(record.id);
    if (record.state.status !== 'running' && record.state.status !== 'restarting') {
      throw new NotModifiedError(`container ${record.id} is not running`);
    }
    if (this.restarts.stoppedByUser(record)) {
      await this.store.save(record);
      this.publish(record, 'stop');
      return;
    }
    const timeout = timeoutSeconds ?? record.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    const exited = this.waitFor(record, 'next-exit');
    await this.signal(record, signal ?? record.config.StopSignal ?? 'TERM').catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout * 1000))),
    ]);
    clearTimeout(timer);
    if (timedOut) await this.signal(record, 'KILL', { all: true }).catch(() => undefined);
    await exited;
    this.publish(record, 'stop');
  }

  async kill(idOrName: string, signal = 'KILL'): Promise<void> {
    const record = this.get(idOrName);
    await this.restarts.settled(record.id);
    if (record.state.status !== 'running') {
      throw new ConflictError(`Cannot kill container: ${idOrName}: Container ${record.id} is not running`);
    }
    const name = signal.replace(/^SIG/i, '');
    // As Docker, a SIGKILL returns once the container is dead, so `docker kill` then `inspect` sees it exited.
    const exited = /^(KILL|9)$/i.test(name) ? this.waitFor(record, 'next-exit') : undefined;
    this.restarts.stoppedByUser(record);
    await this.signal(record, name);
    this.publish(record, 'kill', { signal });
    await exited;
  }

  /** Removes a container; `volumes` removes its anonymous volumes too (`rm -v`). */
  async remove(idOrName: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const record = this.get(idOrName);
    await this.restarts.settled(record.id);
    if (record.state.status === 'running') {
      if (!options.force) {
        throw new ConflictError(
          `You cannot remove a running container ${record.id}. Stop the container before attempting removal or force remove`,
        );
      }
      const exited = this.waitFor(record, 'next-exit');
      await this.signal(record, 'KILL', { all: true }).catch(() => undefined);
      await exited;
    }
    await this.destroy(record, options.volumes === true);
  }

  /** Resolves with the exit code once `condition` holds; see {@link WaitCondition}. */
  wait(idOrName: string, condition: WaitCondition = 'not-running'): Promise<number> {
    const record = this.get(idOrName);
    if (condition === 'not-running' && record.state.status !== 'running') return Promise.resolve(record.state.exitCode);
    return this.waitFor(record, condition);
  }

  /**
   * Reads a container's log. Following a container that is created but not started waits for its start, so a
   * client can open the stream first and miss nothing; removal of the container waits for followers to finish.
   */
  async *logs(idOrName: string, options: LogReadOptions, signal?: AbortSignal): AsyncGenerator<LogEntry> {
    const record = this.get(idOrName);
    let finished!: () => void;
    const reading = new Promise<void>((resolve) => (finished = resolve));
    const readers = this.readers.get(record.id) ?? new Set();
    this.readers.set(record.id, readers.add(reading));
    try {
      if (options.follow && record.state.status === 'created') await this.waitFor(record, 'started', signal);
      const follow = options.follow && record.state.status === 'running';
      yield* this.supervisor.readLog(record.id, record.logPath, { ...options, follow }, signal);
    } finally {
      readers.delete(reading);
      finished();
    }
  }

  async usersOf(imageId: string): Promise<ImageUser[]> {
    // A removed container's rootfs may still be mounted on the image's layers.
    await this.removals.settled();
    return this.list()
      .filter((r) => r.imageId === imageId)
      .map((r) => ({ containerId: r.id, running: r.state.status === 'running' }));
  }

  private waitFor(record: ContainerRecord, condition: WaiterCondition, signal?: AbortSignal): Promise<number> {
    return new Promise((resolve) => {
      const list = this.waiters.get(record.id) ?? [];
      const waiter = { condition, resolve };
      list.push(waiter);
      this.waiters.set(record.id, list);
      signal?.addEventListener('abort', () => {
        this.waiters.set(record.id, (this.waiters.get(record.id) ?? []).filter((w) => w !== waiter));
        resolve(-1);
      });
    });
  }

  private settle(id: string, conditions: WaiterCondition[], exitCode: number): void {
    const list = this.waiters.get(id) ?? [];
    const remaining = list.filter((w) => !conditions.includes(w.condition));
    for (const w of list) if (conditions.includes(w.condition)) w.resolve(exitCode);
    if (remaining.length > 0) this.waiters.set(id, remaining);
    else this.waiters.delete(id);
  }

  private watchExit(record: ContainerRecord): void {
    if (this.watched.has(record.id)) return;
    this.watched.add(record.id);
    this.supervisor.wait(record.id).then(
      (exit) => this.recordExit(record, exit),
      (error: unknown) => this.recordExit(record, { exitCode: 255, exitedAt: new Date() }, (error as Error).message),
    ).catch((error: unknown) => process.emitWarning(`container ${record.id}: handling its exit failed: ${(error as Error).message}`));
  }

  /**
   * Signals the task; a paused one is thawed after the signal is queued, so its processes can act on it (as Docker
   * lets a paused container be stopped and killed). A runtime may thaw it itself to deliver a SIGKILL (runc does).
   */
  private async signal(record: ContainerRecord, signal: string, options?: { all?: boolean }): Promise<void> {
    await this.supervisor.kill(record.id, signal, options);
    if (!record.state.paused) return;
    const runtime = this.runtimes.get(record.runtime);
    if ((await runtime.state(record.id))?.status === 'paused') await runtime.resume(record.id);
    record.state = { ...record.state, paused: undefined };
    await this.store.save(record);
    this.publish(record, 'unpause');
  }

  private async recordExit(record: ContainerRecord, exit: TaskExit, error = ''): Promise<void> {
    this.watched.delete(record.id);
    const restart = this.restarts.shouldRestart(record, exit.exitCode, exit.exitedAt);
    record.state = { ...record.state, status: restart ? 'restarting' : 'exited', paused: undefined, pid: 0, exitCode: exit.exitCode, error, oomKilled: exit.oomKilled || undefined, finishedAt: exit.exitedAt.toISOString() };
    if (exit.oomKilled) this.publish(record, 'oom');
    this.publish(record, 'die', { exitCode: String(exit.exitCode) });
    // Waiters hear of the exit before it is written and the task and its network are taken down: a busy disk can
    // make the write slow, the rest are runtime and CNI calls. Whatever touches the container next waits for them
    // (see taskCleanups).
    this.settle(record.id, ['next-exit', 'not-running'], exit.exitCode);
    // The exit is saved before the task (and the supervisor's record of the exit) is deleted, so a daemon killed in
    // between still learns of it. The CNI teardown goes side by side: with its init gone the container has no
    // process left in its namespace (each is a few processes; `compose down` runs ten of these at once).
    const deleted = this.store.save(record).then(() => this.supervisor.delete(record.id).catch(() => undefined));
    const cleanup = Promise.all([deleted, this.networks.release(record)])
      // The release cleared the record's network state; a record being removed is not written back.
      .then(() => (this.records.has(record.id) ? this.store.save(record) : undefined));
    this.taskCleanups.set(record.id, cleanup);
    await cleanup.finally(() => this.taskCleanups.delete(record.id));
    if (restart) {
      this.restarts.schedule(record);
      return;
    }
    // As Docker's `--rm`, which removes the container's anonymous volumes with it.
    if (record.hostConfig.AutoRemove) await this.destroy(record, true);
  }

  private async destroy(record: ContainerRecord, removeVolumes = false): Promise<void> {
    if (!this.records.has(record.id)) return;
    this.records.delete(record.id);
    this.restarts.forget(record.id);
    // `run --rm` reads the log to its end while the container is auto-removed; let it, within reason.
    await Promise.race([Promise.all(this.readers.get(record.id) ?? []), delay(READER_GRACE_MS)]);
    this.readers.delete(record.id);
    // What a client can see or use again — the record, volumes, network endpoints and ports (released by the
    // exit's cleanup, or at once by this release) — goes before the answer. The task, the network namespace and
    // the rootfs go after it, the task once the exit's cleanup has written the exit (see ContainerRemovals).
    const released = this.networks.release(record);
    const cleanup = this.taskCleanups.get(record.id);
    this.removals.remove(record.id, async () => {
      await Promise.all([released, cleanup]);
      await this.supervisor.delete(record.id);
    });
    // The store writes a record's saves and its deletion in order, so the exit's save cannot bring it back.
    await Promise.all([this.store.delete(record.id), this.mounts.release(record.id, record.mounts, { removeAnonymous: removeVolumes })]);
    this.publish(record, 'destroy');
    this.settle(record.id, ['removed', 'next-exit', 'not-running', 'started'], record.state.exitCode);
  }

  /** Resolves once the root filesystems of removed containers are down (the daemon waits for them before it exits). */
  async drain(): Promise<void> {
    await this.removals.settled();
  }

  /**
   * The host directory of a container's root filesystem. It stays mounted from the first start until removal; one
   * never started is mounted here, and stays so, for `docker cp` into a created container.
   */
  async rootfs(record: ContainerRecord): Promise<string> {
    const rootfs = join(this.bundleDir(record.id), 'rootfs');
    await this.snapshotter.mountRootfs(record.id, record.layers, rootfs);
    return rootfs;
  }

  private bundleDir(id: string): string {
    return join(this.config.execRoot, 'containers', id);
  }

  private freeName(): string {
    for (let attempt = 0; ; attempt++) {
      // Like Docker, fall back to a numeric suffix once plain names keep colliding.
      const name = randomContainerName() + (attempt >= 10 ? String(attempt) : '');
      if (!this.list().some((r) => r.name === name)) return name;
    }
  }

  private publish(record: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.events.publish(containerEvent(record, action, extra));
  }
}
