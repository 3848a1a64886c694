// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { ContainerPruneResponse, ContainerTopResponse } from '../api/container-stats.js';
import { ConflictError, InvalidArgumentError } from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { containerEvent } from './container-event.js';
import { validateContainerName } from './container-name.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerService } from './container-service.js';
import { ContainerStore } from './container-store.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { listContainerProcesses } from './container-top.js';

/** Container operations built on the lifecycle of {@link ContainerService}: restart, rename, prune, top, pause. */
@injectable()
export class ContainerOperations {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ContainerStore) private readonly store: ContainerStore,
    @inject(Snapshotter) private readonly snapshotter: Snapshotter,
    @inject(EventBus) private readonly events: EventBus,
    @inject(RuntimeRegistry) private readonly runtimes: RuntimeRegistry,
  ) {}

  /**
   * Stops the container if it runs, then starts it (moby `containerRestart`). Like Docker, this leaves
   * `RestartCount` alone: that counts the restarts a restart policy made.
   */
  async restart(idOrName: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const record = this.containers.get(idOrName);
    if (record.state.status === 'running') await this.containers.stop(record.id, timeoutSeconds, signal);
    await this.containers.start(record.id);
    this.events.publish(containerEvent(record, 'restart'));
  }

  async pause(idOrName: string): Promise<void> {
    const record = this.containers.get(idOrName);
    if (record.state.status !== 'running') throw new ConflictError(`Container ${record.id} is not running`);
    if (record.state.paused) throw new ConflictError(`Container ${record.id} is already paused`);
    await this.runtimes.get(record.runtime).pause(record.id);
    record.state = { ...record.state, paused: true };
    await this.store.save(record);
    this.events.publish(containerEvent(record, 'pause'));
  }

  async unpause(idOrName: string): Promise<void> {
    const record = this.containers.get(idOrName);
    if (!record.state.paused) throw new ConflictError(`Container ${record.id} is not paused`);
    await this.runtimes.get(record.runtime).resume(record.id);
    record.state = { ...record.state, paused: undefined };
    await this.store.save(record);
    this.events.publish(containerEvent(record, 'unpause'));
  }

  /**
   * Freezes the container's processes until the answered function is called, so they cannot swap a path for a
   * symlink between the engine resolving it and using it (CVE-2018-15664, which moby closed the same way). A
   * container that is not running, or is paused already, is left as it is.
   */
  async freeze(idOrName: string): Promise<() => Promise<void>> {
    const record = this.containers.get(idOrName);
    if (record.state.status !== 'running' || record.state.paused) return async () => undefined;
    const runtime = this.runtimes.get(record.runtime);
    await runtime.pause(record.id);
    return () => runtime.resume(record.id).catch((error: unknown) => process.emitWarning(`container ${record.id}: thaw: ${(error as Error).message}`));
  }

  async rename(idOrName: string, newName: string): Promise<void> {
    const record = this.containers.get(idOrName);
    if (!newName) throw new InvalidArgumentError('Neither old nor new names may be empty');
    const name = validateContainerName(newName);
    if (name === record.name) throw new InvalidArgumentError('Renaming a container with the same name as its current name');
    const holder = this.containers.list().find((r) => r.name === name);
    if (holder) {
      throw new ConflictError(
        `Conflict. The container name "/${name}" is already in use by container "${holder.id}". ` +
          'You have to remove (or rename) that container to be able to reuse that name.',
      );
    }
    const oldName = record.name;
    record.name = name;
    await this.store.save(record);
    this.events.publish(containerEvent(record, 'rename', { oldName: `/${oldName}` }));
  }

  /** Removes every container that is not running and matches `filters` (`until`, `label`, `label!`). */
  async prune(filters: Record<string, string[]>): Promise<ContainerPruneResponse> {
    for (const key of Object.keys(filters)) {
      if (!['until', 'label', 'label!'].includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    }
    const until = filters.until?.map(parseUntil);
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const record of this.containers.list()) {
      if (record.state.status === 'running' || !matchesPruneFilters(record, filters, until)) continue;
      const size = await this.snapshotter.writableSize(record.id).catch(() => 0);
      await this.containers.remove(record.id);
      deleted.push(record.id);
      reclaimed += size;
    }
    this.events.publish({ Type: 'container', Action: 'prune', Actor: { ID: '', Attributes: { reclaimed: String(reclaimed) } } });
    return { ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  }

  async top(idOrName: string, psArgs?: string): Promise<ContainerTopResponse> {
    const record = this.containers.get(idOrName);
    if (record.state.status !== 'running' || record.state.pid <= 0) {
      throw new ConflictError(`Container ${record.id} is not running`);
    }
    return listContainerProcesses(record.state.pid, psArgs);
  }
}

function matchesPruneFilters(record: ContainerRecord, filters: Record<string, string[]>, until?: number[]): boolean {
  const labels = record.config.Labels ?? {};
  const has = (selector: string) => {
    const [key, value] = splitOnce(selector, '=');
    return value === undefined ? key in labels : labels[key] === value;
  };
  if (until && !until.every((limit) => Date.parse(record.created) < limit)) return false;
  if (filters.label && !filters.label.every(has)) return false;
  if (filters['label!'] && filters['label!'].some(has)) return false;
  return true;
}

const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `until`: Unix seconds, an RFC 3339 date, or a Go duration back from now (`10m`, `1h30m`), as Docker takes it. */
function parseUntil(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let ms = 0;
    for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * GO_DURATION_UNITS[unit];
    return Date.now() - ms;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new InvalidArgumentError(`invalid filter 'until=${value}'`);
  return date;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
