// SPDX-License-Identifier: Apache-2.0
import { parseRestartPolicy, type EngineError } from '@tsc-engine/core/client';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import type { KeyPath } from './raw-value.js';
import { composeError, type SourceIndex } from './source-position.js';

/**
 * Checks what the schema cannot: every service has an image or a build and a restart policy that parses,
 * references to services, networks, volumes, secrets and configs resolve, and no dependency cycle exists
 * (`depends_on`, plus the implicit dependencies of `network_mode: service:x`, `pid: service:x`, `volumes_from` and
 * `links`). Runs on the enabled services only.
 */
export function checkProject(project: ComposeProject, sources: SourceIndex): void {
  const fail = (path: KeyPath, message: string, hint?: string): never => {
    throw composeError(sources.find(path), path, message, hint);
  };
  for (const [name, service] of Object.entries(project.services)) {
    const at = ['services', name];
    if (service.image === undefined && service.build === undefined) {
      fail(at, `service "${name}" has neither an image nor a build context specified`, 'add an image: (or build:) to the service');
    }
    for (const [dep, spec] of Object.entries(service.depends_on ?? {})) {
      if (dep in project.services || !spec.required) continue;
      if (dep in project.disabledServices) {
        fail([...at, 'depends_on', dep], `service "${name}" depends on service "${dep}", which no active profile enables`,
          `enable one of its profiles (${(project.disabledServices[dep].profiles ?? []).join(', ')}) with --profile`);
      }
      fail([...at, 'depends_on', dep], `service "${name}" depends on undefined service "${dep}"`);
    }
    for (const [dep, path] of implicitDependencies(service)) {
      if (!(dep in project.services)) fail([...at, ...path], `service "${name}" refers to undefined service "${dep}"`);
    }
    for (const network of Object.keys(service.networks ?? {})) {
      if (!(network in project.networks)) fail([...at, 'networks', network], `service "${name}" refers to undefined network "${network}"`);
    }
    for (const [i, volume] of (service.volumes ?? []).entries()) {
      if (volume.type === 'volume' && volume.source !== undefined && !(volume.source in project.volumes)) {
        fail([...at, 'volumes', i], `service "${name}" refers to undefined volume "${volume.source}"`,
          `declare it under the top-level volumes: key`);
      }
    }
    if (service.restart !== undefined) {
      try {
        parseRestartPolicy(service.restart);
      } catch (error) {
        fail([...at, 'restart'], (error as EngineError).message, (error as EngineError).hint);
      }
    }
    for (const kind of ['secrets', 'configs'] as const) {
      for (const [i, ref] of (service[kind] ?? []).entries()) {
        if (!(ref.source in project[kind])) fail([...at, kind, i], `service "${name}" refers to undefined ${kind.slice(0, -1)} "${ref.source}"`);
      }
    }
  }
  const cycle = findCycle(project.services);
  if (cycle) fail(['services', cycle[0], 'depends_on'], `dependency cycle detected: ${cycle.join(' -> ')}`);
}

/** Services a service needs running first though not listed in `depends_on`, with the key naming each. */
export function implicitDependencies(service: ServiceConfig): [string, KeyPath][] {
  const deps: [string, KeyPath][] = [];
  for (const key of ['network_mode', 'pid']) {
    const mode = service[key];
    if (typeof mode === 'string' && mode.startsWith('service:')) deps.push([mode.slice('service:'.length), [key]]);
  }
  const volumesFrom = Array.isArray(service.volumes_from) ? (service.volumes_from as unknown[]) : [];
  for (const [i, entry] of volumesFrom.entries()) {
    const text = String(entry);
    if (text.startsWith('container:')) continue;
    deps.push([text.replace(/^service:/, '').split(':')[0], ['volumes_from', i]]);
  }
  const links = Array.isArray(service.links) ? (service.links as unknown[]) : [];
  for (const [i, link] of links.entries()) deps.push([String(link).split(':')[0], ['links', i]]);
  return deps;
}

/** Every dependency of a service: depends_on plus the implicit ones. */
export function serviceDependencies(service: ServiceConfig): string[] {
  return [...new Set([...Object.keys(service.depends_on ?? {}), ...implicitDependencies(service).map(([dep]) => dep)])];
}

function findCycle(services: Record<string, ServiceConfig>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !(name in services)) return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of serviceDependencies(services[name])) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
