// SPDX-License-Identifier: Apache-2.0
import type { ComposeProject } from './compose-model.js';

/**
 * The project as `docker compose config` prints it: name, enabled services (sorted, keys sorted), then the
 * non-empty top-level sections and `x-*` extensions.
 */
export function toConfigDocument(project: ComposeProject): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: project.name };
  doc.services = Object.fromEntries(Object.keys(project.services).sort().map((name) => [name, sortKeys(project.services[name])]));
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(project[section]).length > 0) doc[section] = project[section];
  }
  return { ...doc, ...project.extensions };
}

function sortKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
