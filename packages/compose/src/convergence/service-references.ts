// SPDX-License-Identifier: Apache-2.0
import { FailedPreconditionError, type EngineClient } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { listProjectContainers, ofServices } from './project-containers.js';
import { containerName } from './resource-names.js';

const SERVICE_PREFIX = 'service:';

/** The keys whose `service:x` shares a namespace of x's first container, with that namespace's name. */
const NAMESPACE_KEYS = [['network_mode', 'network'], ['pid', 'PID']] as const;

/**
 * `project` with `service`'s `network_mode: service:x` and `pid: service:x` turned into `container:<id>` of x's
 * first container, as docker compose resolves them before it hashes a service (`resolveSharedNamespaces`). The id
 * then is part of the config hash, so a container joined to a namespace that has since gone (x recreated, by this
 * `up` or an earlier one) is recreated into the new one instead of running on in a namespace left with loopback
 * only, or with no process of x in it. Asks the engine only for services that join another's namespace, and then
 * after that one has converged, so the id is current.
 */
export async function withResolvedReferences(client: EngineClient, project: ComposeProject, service: string): Promise<ComposeProject> {
  const config = project.services[service];
  const references = NAMESPACE_KEYS.flatMap(([key, namespace]) => {
    const target = referencedService(config[key]);
    return target === undefined ? [] : [{ key, namespace, target }];
  });
  if (references.length === 0) return project;
  const containers = await listProjectContainers(client, project.name);
  const resolved = { ...config };
  for (const { key, namespace, target } of references) {
    const [joined] = ofServices(containers, [target]);
    if (!joined) {
      throw new FailedPreconditionError(`service "${service}": cannot share the ${namespace} namespace of service "${target}": it has no container`, {
        hint: `create it first: tsc-engine compose up -d ${target}`,
      });
    }
    resolved[key] = `container:${joined.id}`;
  }
  return { ...project, services: { ...project.services, [service]: resolved } };
}

/**
 * A `network_mode` or `pid` as a create request names it. A `service:x` left unresolved (a `compose run`) names
 * x's first container, as docker compose picks it; the loader made the service depend on x.
 */
export function namespaceMode(project: ComposeProject, mode: string): string {
  const target = referencedService(mode);
  return target === undefined ? mode : `container:${containerName(project.name, target, project.services[target], 1)}`;
}

function referencedService(mode: string | null | undefined): string | undefined {
  return mode?.startsWith(SERVICE_PREFIX) ? mode.slice(SERVICE_PREFIX.length) : undefined;
}
