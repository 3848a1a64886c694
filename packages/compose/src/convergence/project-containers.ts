// SPDX-License-Identifier: Apache-2.0
import type { ContainerSummary, EngineClient } from '@tsc-engine/core/client';
import { ComposeLabel, projectFilter } from './compose-labels.js';
import { plainName } from './resource-names.js';

/** A container of a project as its labels describe it. */
export interface ProjectContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  configHash: string;
  summary: ContainerSummary;
}

/**
 * The project's containers (running or not; one-off `run` containers only with `oneOff`), by service and then
 * number: the one listing every command starts from, so a command asks the engine once, not once per service.
 */
export async function listProjectContainers(
  client: EngineClient,
  project: string,
  options: { all?: boolean; oneOff?: boolean } = {},
): Promise<ProjectContainer[]> {
  const filters = options.oneOff ? projectFilter(project) : projectFilter(project, `${ComposeLabel.oneoff}=False`);
  const summaries = await client.listContainers({ all: options.all ?? true, filters });
  return summaries.map(toProjectContainer).sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

export function toProjectContainer(summary: ContainerSummary): ProjectContainer {
  const labels = summary.Labels;
  return {
    id: summary.Id,
    name: plainName(summary.Names),
    service: labels[ComposeLabel.service] ?? '',
    number: Number(labels[ComposeLabel.containerNumber] ?? 0),
    configHash: labels[ComposeLabel.configHash] ?? '',
    summary,
  };
}

/** `containers` of the given services (all when none given), in their listed order. */
export function ofServices(containers: readonly ProjectContainer[], services: readonly string[]): ProjectContainer[] {
  return services.length === 0 ? [...containers] : containers.filter((c) => services.includes(c.service));
}

/** The short name docker compose prefixes log lines with: `web-1` for `proj-web-1`. */
export function logName(project: string, container: ProjectContainer): string {
  const prefix = `${project}-`;
  return container.name.startsWith(prefix) ? container.name.slice(prefix.length) : container.name;
}
