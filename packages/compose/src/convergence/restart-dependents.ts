// SPDX-License-Identifier: Apache-2.0
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { implicitDependencies } from '../loader/check-project.js';

/**
 * `services` and every service that depends on one of them with `restart: true`, and so on down the chain: what
 * restarts with them (compose-spec `depends_on.restart`). Docker compose restarts these on `restart` and stops
 * them before it recreates their dependency, so that they start again once it is back (`stopDependentContainers`).
 */
export function withRestartDependents(project: ComposeProject, services: readonly string[]): string[] {
  const found = new Set(services);
  for (const name of found) {
    for (const [dependent, config] of Object.entries(project.services)) {
      if (restartsWith(config, name)) found.add(dependent);
    }
  }
  return [...found];
}

function restartsWith(config: ServiceConfig, dependency: string): boolean {
  const declared = config.depends_on?.[dependency];
  if (declared) return declared.restart === true;
  // compose-go declares these for the service itself, with `restart: true`: a namespace or a link to a container
  // that is gone is of no use.
  return implicitDependencies(config).some(([name, [key]]) => name === dependency && (key === 'network_mode' || key === 'links'));
}
