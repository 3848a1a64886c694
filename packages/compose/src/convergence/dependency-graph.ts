// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, settleAll } from '@tsc-engine/core/client';
import type { ComposeProject } from '../compose-model.js';
import { serviceDependencies } from '../loader/check-project.js';

/**
 * The services of a project as a graph of their dependencies (`depends_on`, `network_mode: service:x`,
 * `volumes_from`, `links`). {@link walk} visits a service as soon as everything it needs is done — not level by
 * level — so one slow service delays only those that depend on it.
 */
export class DependencyGraph {
  private constructor(private readonly edges: ReadonlyMap<string, readonly string[]>) {}

  /**
   * The graph of `selected` services (all when empty) and, with `withDependencies`, everything they depend on.
   * The loader has already refused cycles and unknown services; optional (`required: false`) dependencies that
   * are not in the project are left out.
   */
  static of(project: ComposeProject, selected: readonly string[] = [], withDependencies = true): DependencyGraph {
    for (const name of selected) {
      if (!(name in project.services)) throw new InvalidArgumentError(`no such service: ${name}`);
    }
    const edges = new Map<string, string[]>();
    const add = (name: string): void => {
      if (edges.has(name)) return;
      const deps = serviceDependencies(project.services[name]).filter((dep) => dep in project.services);
      edges.set(name, deps);
      if (withDependencies) deps.forEach(add);
    };
    (selected.length > 0 ? selected : Object.keys(project.services)).forEach(add);
    for (const [name, deps] of edges) edges.set(name, deps.filter((dep) => edges.has(dep)));
    return new DependencyGraph(edges);
  }

  get services(): string[] {
    return [...this.edges.keys()].sort();
  }

  has(service: string): boolean {
    return this.edges.has(service);
  }

  /**
   * Calls `visit` for every service once all its dependencies were visited (`reverse`: once all its dependents
   * were — the order to stop and remove in). A failed visit skips what comes after it; the walk rejects with the
   * first failure after the visits under way have settled.
   */
  async walk(visit: (service: string) => Promise<void>, options: { reverse?: boolean } = {}): Promise<void> {
    const before = new Map<string, string[]>([...this.edges.keys()].map((name) => [name, []]));
    for (const [name, deps] of this.edges) {
      for (const dep of deps) {
        if (options.reverse) before.get(dep)!.push(name);
        else before.get(name)!.push(dep);
      }
    }
    const visits = new Map<string, Promise<void>>();
    const schedule = (name: string): Promise<void> => {
      let visiting = visits.get(name);
      if (!visiting) {
        visiting = Promise.all(before.get(name)!.map(schedule)).then(() => visit(name));
        visits.set(name, visiting);
      }
      return visiting;
    };
    await settleAll(this.services.map(schedule));
  }
}
