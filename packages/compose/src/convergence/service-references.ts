// SPDX-License-Identifier: Apache-2.0
import { FailedPreconditionError, type EngineClient } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { listProjectContainers, ofServices } from './project-containers.js';

const SERVICE_PREFIX = 'service:';

/**
 * `project` with `service`'s `network_mode: service:x` turned into `container:<id>` of x's first container, as
 * docker compose resolves it before it hashes a service (`resolveServiceReferences`). The id then is part of the
 * config hash, so a container joined to a namespace that has since gone (x recreated, by this `up` or an earlier
 * one) is recreated into the new one instead of running on in a namespace left with loopback only. Asks the engine
 * only for services that join another's namespace, and then after that one has converged, so the id is current.
 */
export async function withResolvedReferences(client: EngineClient, project: ComposeProject, service: string): Promise<ComposeProject> {
  const config = project.services[service];
  const target = config.network_mode?.startsWith(SERVICE_PREFIX) ? config.network_mode.slice(SERVICE_PREFIX.length) : undefined;
  if (target === undefined) return project;
  const [joined] = ofServices(await listProjectContainers(client, project.name), [target]);
  if (!joined) {
    throw new FailedPreconditionError(`service "${service}": cannot share the network namespace of service "${target}": it has no container`, {
      hint: `create it first: tsc-engine compose up -d ${target}`,
    });
  }
  return { ...project, services: { ...project.services, [service]: { ...config, network_mode: `container:${joined.id}` } } };
}
