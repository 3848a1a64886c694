// SPDX-License-Identifier: Apache-2.0
import { inject, injectable } from 'inversify';
import type { ContainerResources, ContainerUpdateRequest } from '../api/container-resources.js';
import { EngineError } from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { detectCgroupFeatures } from '../runtime/cgroup-features.js';
import { discardUnappliable, mergeResourceUpdate, ociResources, pickResources, verifyResources } from '../runtime/resource-limits.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { containerEvent } from './container-event.js';
import { ContainerService } from './container-service.js';
import { ContainerStore } from './container-store.js';
import { validateRestartPolicy } from './restart-manager.js';

/**
 * `docker update` (moby `daemon/update.go`): checks the new limits as create does (a swap limit alone is allowed),
 * applies them to a running container's cgroup through its runtime at once, and keeps them for later starts.
 */
@injectable()
export class ContainerUpdateService {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ContainerStore) private readonly store: ContainerStore,
    @inject(EventBus) private readonly events: EventBus,
    @inject(RuntimeRegistry) private readonly runtimes: RuntimeRegistry,
  ) {}

  /** Updates the container and answers Docker's `Warnings`. */
  async update(idOrName: string, update: ContainerUpdateRequest): Promise<string[]> {
    const record = this.containers.get(idOrName);
    const runtime = this.runtimes.get(record.runtime);
    const verified = verifyResources(pickResources(update), await detectCgroupFeatures(), { update: true });
    const applicable = discardUnappliable(verified.resources, runtime);
    const restartPolicy = update.RestartPolicy?.Name ? update.RestartPolicy : record.hostConfig.RestartPolicy;
    let resources: ContainerResources;
    try {
      resources = mergeResourceUpdate(record.hostConfig, applicable.resources);
      validateRestartPolicy({ ...record.hostConfig, RestartPolicy: restartPolicy });
      if (record.state.status === 'running') await runtime.update(record.id, ociResources(applicable.resources));
    } catch (error) {
      const code = error instanceof EngineError ? error.code : 'internal';
      throw new EngineError(code, `Cannot update container ${record.id}: ${(error as Error).message}`, { cause: error });
    }
    record.hostConfig = { ...record.hostConfig, ...resources, RestartPolicy: restartPolicy };
    await this.store.save(record);
    this.events.publish(containerEvent(record, 'update'));
    return [...verified.warnings, ...applicable.warnings];
  }
}
