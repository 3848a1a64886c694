// SPDX-License-Identifier: Apache-2.0
import {
  ConcurrencyLimit,
  FailedPreconditionError,
  InvalidArgumentError,
  errorCodeOf,
  settleAll,
  type ContainerCreateRequest,
  type EngineClient,
} from '@tsc-engine/core/client';
import type { ComposeProject, DependsOnConfig } from '../compose-model.js';
import { serviceConfigHash } from './config-hash.js';
import { awaitReadiness, defaultReadiness, type Readiness } from './container-readiness.js';
import { toContainerCreateRequest } from './container-request.js';
import { DependencyGraph } from './dependency-graph.js';
import { defaultParallelism } from './default-parallelism.js';
import { buildImages, serviceImageName, type BuildPolicy } from './image-build.js';
import { pullImages, type PullPolicy } from './image-pull.js';
import { ensureNetworks, networksOf, removeProjectNetworks } from './network-convergence.js';
import { listProjectContainers, ofServices, type ProjectContainer } from './project-containers.js';
import { reportStep, reportWarnings, type ProgressWriter } from './progress-writer.js';
import { containerName } from './resource-names.js';
import { withRestartDependents } from './restart-dependents.js';
import { withResolvedReferences } from './service-references.js';
import { ensureVolumes, removeProjectVolumes, volumesOf } from './volume-convergence.js';

/** How `up`/`create` converge: which services, how many of each, and when to recreate. */
export interface ConvergeOptions {
  /** Services to converge, with what they depend on; all when empty. */
  services?: string[];
  /** `--scale svc=n`, over `scale` and `deploy.replicas`. */
  scale?: Record<string, number>;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  /** `--pull`; each service's `pull_policy` (else `missing`) when left out. */
  pull?: PullPolicy;
  /** `--build` (`always`); by default services with `build:` are built when their image is `missing`. */
  build?: BuildPolicy;
}

export interface DownOptions {
  volumes?: boolean;
  removeOrphans?: boolean;
  /** Seconds to wait for a container to stop before it is killed; each container's own when left out. */
  timeout?: number;
}

/** Compose's word for a container reaching a depends_on condition. */
const REACHED: Record<Exclude<Readiness, 'running'>, string> = { healthy: 'Healthy', completed: 'Exited' };

/**
 * Brings the engine to what the project describes, through the Docker API alone. Everything it touches is found
 * by the `com.docker.compose.*` labels, so it holds no state of its own and a second client sees the same project.
 * Services are handled in dependency order (stop and remove in reverse), each as soon as what it needs is ready;
 * engine calls run at most `parallelism` at once.
 */
export class ProjectConverger {
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly client: EngineClient,
    readonly project: ComposeProject,
    private readonly progress: ProgressWriter,
    parallelism = defaultParallelism(),
    /** Ends the work between steps, and any wait, with its reason (the state store went away). */
    private readonly signal?: AbortSignal,
  ) {
    this.limit = new ConcurrencyLimit(parallelism);
  }

  /** `up`: {@link create}, then {@link start}. Answers the services converged. */
  async up(options: ConvergeOptions = {}): Promise<DependencyGraph> {
    const graph = await this.create(options);
    await this.start(graph);
    return graph;
  }

  /**
   * Pulls what is missing, creates networks and volumes, then per service removes extra replicas, recreates
   * those whose configuration or image changed (saying why), and creates the missing ones. Starts nothing.
   */
  async create(options: ConvergeOptions = {}): Promise<DependencyGraph> {
    const graph = DependencyGraph.of(this.project, options.services);
    const services = graph.services;
    const scales = new Map(services.map((name) => [name, this.scaleOf(name, options.scale)]));
    await buildImages(this.client, this.project, services, this.limit, this.progress, options.build);
    await pullImages(this.client, this.project, services, this.limit, this.progress, options.pull);
    await ensureNetworks(this.client, this.project, networksOf(this.project, services), this.progress);
    await ensureVolumes(this.client, this.project, volumesOf(this.project, services), this.progress);
    const containers = await listProjectContainers(this.client, this.project.name);
    await this.handleOrphans(containers, options.removeOrphans === true);
    await graph.walk((service) => {
      const dependents = withRestartDependents(this.project, [service]).filter((s) => s !== service && graph.has(s));
      return this.convergeService(service, scales.get(service)!, ofServices(containers, [service]), options, containers.filter((c) => dependents.includes(c.service)));
    });
    return graph;
  }

  /** Starts the containers of `graph`'s services that are not running, each service once its dependencies are ready. */
  async start(graph: DependencyGraph): Promise<void> {
    const containers = await listProjectContainers(this.client, this.project.name);
    await graph.walk(async (service) => {
      await this.awaitDependencies(service, graph, containers);
      const stopped = ofServices(containers, [service]).filter((c) => c.summary.State !== 'running');
      await this.limit.all(stopped, (c) => this.step(c, 'Starting', 'Started', () => this.client.startContainer(c.id)));
    });
  }

  /** Stops the running containers of `services` (all when empty), dependents first. */
  async stop(services: string[] = [], timeout?: number): Promise<void> {
    const graph = DependencyGraph.of(this.project, services, false);
    const containers = await listProjectContainers(this.client, this.project.name);
    await graph.walk((service) => this.limit.all(ofServices(containers, [service]), (c) => this.stopContainer(c, timeout)), { reverse: true });
  }

  /**
   * Stops and starts the containers of `services` again, with those that depend on them with `restart: true`;
   * each service once the dependencies restarted with it are in the state its `depends_on` asks for.
   */
  async restart(services: string[] = [], timeout?: number): Promise<void> {
    const graph = DependencyGraph.of(this.project, withRestartDependents(this.project, services), false);
    const containers = await listProjectContainers(this.client, this.project.name);
    await graph.walk(async (service) => {
      await this.awaitDependencies(service, graph, containers);
      await this.limit.all(ofServices(containers, [service]), (c) =>
        this.step(c, 'Restarting', 'Started', async () => {
          if (c.summary.State === 'running') await this.client.stopContainer(c.id, { timeout });
          await this.client.startContainer(c.id);
        }),
      );
    });
  }

  /** Sends `signal` to the running containers of `services`. */
  async kill(services: string[] = [], signal?: string): Promise<void> {
    const containers = ofServices(await listProjectContainers(this.client, this.project.name), services);
    await this.limit.all(
      containers.filter((c) => c.summary.State === 'running'),
      (c) => this.step(c, 'Killing', 'Killed', () => this.client.killContainer(c.id, { signal })),
    );
  }

  /** Removes the containers of `services`; running ones only with `stop` (stopped first). */
  async remove(services: string[] = [], options: { stop?: boolean; volumes?: boolean; timeout?: number } = {}): Promise<void> {
    const containers = ofServices(await listProjectContainers(this.client, this.project.name), services);
    const running = containers.filter((c) => c.summary.State === 'running');
    if (running.length > 0 && !options.stop) {
      this.progress.emit({ kind: 'Container', name: running.map((c) => c.name).join(', '), status: 'Running', state: 'warning', detail: 'left alone; --stop stops and removes it' });
    }
    const removable = options.stop ? containers : containers.filter((c) => c.summary.State !== 'running');
    await this.limit.all(removable, (c) => this.removeContainer(c, options.timeout, options.volumes));
  }

  /** `compose build`: builds the images of those of `services` (all when empty) that have `build:`, present or not. */
  async build(services: string[] = [], options: { pull?: boolean } = {}): Promise<void> {
    await buildImages(this.client, this.project, DependencyGraph.of(this.project, services, false).services, this.limit, this.progress, 'always', options);
  }

  /** Pulls the images of `services` (all when empty), whether present or not. */
  async pull(services: string[] = []): Promise<void> {
    await pullImages(this.client, this.project, DependencyGraph.of(this.project, services, false).services, this.limit, this.progress, 'always');
  }

  /**
   * Stops and removes the project's containers (dependents first), then its networks, and with `volumes` its
   * named volumes. Containers of services no longer in the files go only with `removeOrphans`.
   */
  async down(options: DownOptions = {}): Promise<void> {
    // One-off `run` containers too: left behind, they would hold the project's networks.
    const containers = await listProjectContainers(this.client, this.project.name, { oneOff: true });
    await this.handleOrphans(containers, options.removeOrphans === true, options.timeout);
    await DependencyGraph.of(this.project).walk(
      (service) => this.limit.all(ofServices(containers, [service]), (c) => this.removeContainer(c, options.timeout)),
      { reverse: true },
    );
    const disabled = containers.filter((c) => c.service in this.project.disabledServices);
    await this.limit.all(disabled, (c) => this.removeContainer(c, options.timeout));
    await removeProjectNetworks(this.client, this.project.name, this.progress);
    if (options.volumes) await removeProjectVolumes(this.client, this.project.name, this.progress);
  }

  /**
   * `run`: what a one-off container of `service` needs before it is created — `dependencies` up and in the state
   * its `depends_on` asks for, its image, its networks and volumes.
   */
  async prepareOneOff(service: string, dependencies: string[]): Promise<void> {
    const graph = dependencies.length > 0 ? await this.up({ services: dependencies }) : undefined;
    await buildImages(this.client, this.project, [service], this.limit, this.progress);
    await pullImages(this.client, this.project, [service], this.limit, this.progress);
    await ensureNetworks(this.client, this.project, networksOf(this.project, [service]), this.progress);
    await ensureVolumes(this.client, this.project, volumesOf(this.project, [service]), this.progress);
    if (graph) await this.awaitDependencies(service, graph, await listProjectContainers(this.client, this.project.name));
  }

  /**
   * `up --wait`: every container of `graph`'s services running, and healthy when it has a healthcheck; a
   * one-shot service that another depends on with `service_completed_successfully` must have exited 0 instead.
   * Fails naming the service that did not get there, or the first still waiting when `timeoutSeconds` pass.
   */
  async awaitReady(graph: DependencyGraph, timeoutSeconds?: number): Promise<void> {
    const timeout = timeoutSeconds === undefined ? undefined : AbortSignal.timeout(timeoutSeconds * 1000);
    const signal = this.anyOf(timeout);
    const oneShots = new Set(
      Object.values(this.project.services).flatMap((s) =>
        Object.entries(s.depends_on ?? {}).flatMap(([dep, spec]) => (spec.condition === 'service_completed_successfully' ? [dep] : [])),
      ),
    );
    const containers = ofServices(await listProjectContainers(this.client, this.project.name), graph.services);
    await settleAll(
      containers.map(async (c) => {
        const target = oneShots.has(c.service) ? 'completed' : defaultReadiness(await this.client.inspectContainer(c.id));
        if (target === 'running' && c.summary.State === 'running') return;
        try {
          await this.step(c, 'Waiting', target === 'running' ? 'Running' : REACHED[target], () => awaitReadiness(this.client, c.name, target, signal));
        } catch (error) {
          this.signal?.throwIfAborted();
          const why = timeout?.aborted ? `not ${target} after ${timeoutSeconds}s` : (error as Error).message;
          throw new FailedPreconditionError(`service "${c.service}" is not ready: ${why}`, { cause: error });
        }
      }),
    );
  }

  private anyOf(signal: AbortSignal | undefined): AbortSignal | undefined {
    if (!signal || !this.signal) return signal ?? this.signal;
    return AbortSignal.any([signal, this.signal]);
  }

  private scaleOf(service: string, overrides: Record<string, number> = {}): number {
    const config = this.project.services[service];
    const scale = overrides[service] ?? config.scale ?? config.deploy?.replicas ?? 1;
    if (scale > 1 && config.container_name !== undefined) {
      throw new InvalidArgumentError(`service "${service}": container_name "${config.container_name}" allows one container, not ${scale}`, {
        hint: 'remove container_name: to scale the service',
      });
    }
    return scale;
  }

  /** `dependents`: the containers to stop before one of `service` is recreated (depends_on `restart: true`). */
  private async convergeService(
    service: string,
    scale: number,
    existing: ProjectContainer[],
    options: ConvergeOptions,
    dependents: ProjectContainer[],
  ): Promise<void> {
    const project = await withResolvedReferences(this.client, this.project, service);
    const config = project.services[service];
    const hash = serviceConfigHash(config);
    const image = serviceImageName(project, service);
    const imageId = image === undefined ? undefined : (await this.client.inspectImage(image)).Id;
    const kept = existing.slice(0, scale);
    await this.limit.all(existing.slice(scale), (c) => this.removeContainer(c));
    const reasons = new Map(kept.map((c) => [c, recreateReason(c, hash, imageId, options)]));
    if ([...reasons.values()].some((reason) => reason !== undefined)) await this.stopDependents(dependents);
    await this.limit.all(kept, async (c) => {
      const reason = reasons.get(c);
      if (reason !== undefined) {
        await this.step(c, 'Recreate', 'Recreated', async () => {
          if (c.summary.State === 'running') await this.client.stopContainer(c.id);
          await this.client.removeContainer(c.id);
          await this.createContainer(await toContainerCreateRequest(project, { service, number: c.number, configHash: hash }), c);
        }, reason);
      } else if (c.summary.State === 'running') {
        this.progress.emit({ kind: 'Container', name: c.name, service: c.service, status: 'Running', state: 'done' });
      }
    });
    const taken = new Set(kept.map((c) => c.number));
    const numbers: number[] = [];
    for (let n = 1; numbers.length < scale - kept.length; n++) if (!taken.has(n)) numbers.push(n);
    await this.limit.all(numbers, async (number) => {
      const name = containerName(this.project.name, service, config, number);
      const request = await toContainerCreateRequest(project, { service, number, configHash: hash });
      await this.step({ name, service }, 'Creating', 'Created', () => this.createContainer(request, { name, service }));
    });
  }

  /**
   * Waits for each dependency's condition: started (already true, the walk started it), healthy, or completed
   * successfully. A dependency that fails its condition fails the service, unless it is not `required`.
   */
  private async awaitDependencies(service: string, graph: DependencyGraph, containers: ProjectContainer[]): Promise<void> {
    const dependsOn = Object.entries(this.project.services[service].depends_on ?? {});
    await settleAll(
      dependsOn.map(async ([dep, spec]: [string, DependsOnConfig]) => {
        if (!graph.has(dep) || spec.condition === 'service_started') return;
        const target: Readiness = spec.condition === 'service_healthy' ? 'healthy' : 'completed';
        try {
          await settleAll(
            ofServices(containers, [dep]).map((c) =>
              this.step(c, 'Waiting', REACHED[target], () => awaitReadiness(this.client, c.name, target, this.signal).catch((error: unknown) => {
                throw new FailedPreconditionError(`dependency failed to start: ${(error as Error).message}`, { cause: error });
              })),
            ),
          );
        } catch (error) {
          if (spec.required) throw error;
          this.progress.emit({ kind: 'Container', name: dep, status: 'Skipped', state: 'warning', detail: `optional dependency of ${service}: ${(error as Error).message}` });
        }
      }),
    );
  }

  /** Containers of services the project no longer has: removed with `remove`, else only pointed out. */
  private async handleOrphans(containers: ProjectContainer[], remove: boolean, timeout?: number): Promise<void> {
    const orphans = containers.filter((c) => !(c.service in this.project.services) && !(c.service in this.project.disabledServices));
    if (remove) {
      await this.limit.all(orphans, (c) => this.removeContainer(c, timeout));
      return;
    }
    for (const c of orphans) {
      this.progress.emit({ kind: 'Container', name: c.name, status: 'Orphan', state: 'warning', detail: 'its service is not in the project; --remove-orphans removes it' });
    }
  }

  /**
   * Stops `dependents` before their dependency is recreated; {@link start} starts them again once it is ready. Their
   * listed state says so, so that converging them later neither stops them again nor reports them running.
   */
  private async stopDependents(dependents: ProjectContainer[]): Promise<void> {
    await this.limit.all(dependents, async (c) => {
      await this.stopContainer(c);
      c.summary.State = 'exited';
    });
  }

  private async stopContainer(c: ProjectContainer, timeout?: number): Promise<void> {
    if (c.summary.State !== 'running') return;
    await this.step(c, 'Stopping', 'Stopped', () => this.client.stopContainer(c.id, { timeout }).catch(ignoreNotModified));
  }

  private async removeContainer(c: ProjectContainer, timeout?: number, volumes?: boolean): Promise<void> {
    await this.stopContainer(c, timeout);
    await this.step(c, 'Removing', 'Removed', () => this.client.removeContainer(c.id, { force: true, volumes }));
  }

  /** Creates a container and reports what the daemon warned about it (limits it could not apply, …). */
  private async createContainer(request: ContainerCreateRequest, { name, service }: { name: string; service: string }): Promise<void> {
    const { Warnings } = await this.client.createContainer(request, { name });
    reportWarnings(this.progress, { kind: 'Container', name, service }, Warnings ?? []);
  }

  /** Reports a container step as working, then done or failed. */
  private async step(
    { name, service }: { name: string; service: string },
    doing: string,
    done: string,
    operation: () => Promise<void>,
    detail?: string,
  ): Promise<void> {
    this.signal?.throwIfAborted();
    await reportStep(this.progress, { kind: 'Container', name, service, detail }, doing, done, operation);
  }
}

/** Why `c` must be recreated to match `hash` and `imageId`, if it must. */
function recreateReason(c: ProjectContainer, hash: string, imageId: string | undefined, options: ConvergeOptions): string | undefined {
  if (options.noRecreate) return undefined;
  if (options.forceRecreate) return 'forced';
  if (c.configHash !== hash) return 'configuration changed';
  return imageId !== undefined && c.summary.ImageID !== imageId ? 'image changed' : undefined;
}

/** A container that stopped on its own meanwhile is what stopping wanted. */
function ignoreNotModified(error: unknown): void {
  if (errorCodeOf(error) !== 'not-modified') throw error;
}
