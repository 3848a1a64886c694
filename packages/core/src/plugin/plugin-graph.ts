// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { PluginDeclaration } from './plugin-manifest.js';

/**
 * Orders plugins so each comes after what it requires (containerd's plugin graph). A requirement names a type
 * (`tsc-engine.runtime.v1`: every plugin of that type) or one plugin (`tsc-engine.runtime.v1/runc`). Requirements
 * no plugin satisfies are left for the host to report; a cycle is an error naming it.
 */
export function orderPlugins<T extends PluginDeclaration>(plugins: T[]): T[] {
  const key = (p: PluginDeclaration) => `${p.type}/${p.id}`;
  const dependencies = (p: PluginDeclaration) =>
    plugins.filter((other) => other !== p && (p.requires ?? []).some((r) => r === other.type || r === key(other)));

  const ordered: T[] = [];
  const state = new Map<T, 'visiting' | 'done'>();
  const visit = (plugin: T, path: T[]) => {
    if (state.get(plugin) === 'done') return;
    if (state.get(plugin) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(plugin)), plugin].map(key).join(' -> ');
      throw new InvalidArgumentError(`plugin dependency cycle: ${cycle}`);
    }
    state.set(plugin, 'visiting');
    for (const dependency of dependencies(plugin)) visit(dependency as T, [...path, plugin]);
    state.set(plugin, 'done');
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}
