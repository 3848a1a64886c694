// SPDX-License-Identifier: Apache-2.0
import { NotFoundError, isNotFound, settleAll, type EngineClient, type NetworkCreateRequest } from '@tsc-engine/core/client';
import type { ComposeProject, NetworkConfig } from '../compose-model.js';
import { COMPOSE_VERSION, ComposeLabel, projectFilter } from './compose-labels.js';
import { reportStep, type ProgressWriter } from './progress-writer.js';

/** The networks (keys of `project.networks`) that the given services join. */
export function networksOf(project: ComposeProject, services: readonly string[]): string[] {
  return [...new Set(services.flatMap((name) => Object.keys(project.services[name].networks ?? {})))].sort();
}

/**
 * Makes sure each network exists: an external one must already, a project one is found by its labels (or,
 * unlabelled, by its name — then reused with a warning, as docker compose does) or created.
 */
export async function ensureNetworks(client: EngineClient, project: ComposeProject, keys: readonly string[], progress: ProgressWriter): Promise<void> {
  const labelled = await client.listNetworks({ filters: projectFilter(project.name) });
  // One at a time: the daemon picks a free subnet per create, and two creates at once were given the same one.
  for (const key of keys) {
    const config = project.networks[key];
    if (labelled.some((n) => n.Labels[ComposeLabel.network] === key && n.Name === config.name)) continue;
    const found = await client.inspectNetwork(config.name).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (config.external) {
      if (!found) {
        throw new NotFoundError(`network ${config.name} declared as external, but could not be found`, {
          hint: `create it first: tsc-engine network create ${config.name}`,
        });
      }
      continue;
    }
    if (found) {
      progress.emit({ kind: 'Network', name: config.name, status: 'Exists', state: 'warning', detail: 'not created by compose; using it' });
      continue;
    }
    progress.emit({ kind: 'Network', name: config.name, status: 'Creating', state: 'working' });
    await client.createNetwork(networkRequest(project.name, key, config));
    progress.emit({ kind: 'Network', name: config.name, status: 'Created', state: 'done' });
  }
}

/** Removes the project's networks (found by label; external ones never carry it). */
export async function removeProjectNetworks(client: EngineClient, project: string, progress: ProgressWriter): Promise<void> {
  const networks = await client.listNetworks({ filters: projectFilter(project) });
  await settleAll(
    networks.map((network) => reportStep(progress, { kind: 'Network', name: network.Name }, 'Removing', 'Removed', () => client.removeNetwork(network.Id))),
  );
}

function networkRequest(project: string, key: string, config: NetworkConfig): NetworkCreateRequest {
  const ipam = config.ipam as { driver?: string; config?: { subnet?: string; gateway?: string; ip_range?: string }[] } | undefined;
  return {
    Name: config.name,
    CheckDuplicate: true,
    Driver: config.driver,
    Internal: config.internal,
    Labels: { ...config.labels, [ComposeLabel.project]: project, [ComposeLabel.network]: key, [ComposeLabel.version]: COMPOSE_VERSION },
    ...(ipam
      ? { IPAM: { Driver: ipam.driver, Config: (ipam.config ?? []).map((p) => ({ Subnet: p.subnet, Gateway: p.gateway, IPRange: p.ip_range })) } }
      : {}),
  };
}
