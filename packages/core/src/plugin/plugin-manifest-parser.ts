// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { PluginDeclaration, PluginPackageManifest } from './plugin-manifest.js';
import { PLUGIN_API_VERSION } from './plugin-type.js';

/**
 * Validates a package's `"tsc-engine"` section. oclif accepts any package with an `oclif` key; an engine plugin
 * needs more, and a bad manifest must name what is wrong rather than fail later at import.
 */
export function parsePluginManifest(packageName: string, raw: unknown): PluginPackageManifest {
  const fail = (what: string) =>
    new InvalidArgumentError(`plugin package ${packageName}: invalid "tsc-engine" manifest: ${what}`);
  if (typeof raw !== 'object' || raw === null) throw fail('not an object');
  const { apiVersion, plugins } = raw as Record<string, unknown>;
  if (apiVersion !== PLUGIN_API_VERSION) {
    throw fail(`apiVersion ${String(apiVersion)} is not supported (this engine supports ${PLUGIN_API_VERSION})`);
  }
  if (!Array.isArray(plugins)) throw fail('"plugins" must be an array');
  return {
    apiVersion,
    plugins: plugins.map((entry: unknown, index): PluginDeclaration => {
      const e = (entry ?? {}) as Record<string, unknown>;
      for (const key of ['type', 'id', 'module'] as const) {
        if (typeof e[key] !== 'string' || e[key] === '') throw fail(`plugins[${index}].${key} must be a non-empty string`);
      }
      if (e.requires !== undefined && !(Array.isArray(e.requires) && e.requires.every((r) => typeof r === 'string'))) {
        throw fail(`plugins[${index}].requires must be an array of strings`);
      }
      return {
        type: e.type as string,
        id: e.id as string,
        module: e.module as string,
        requires: e.requires as string[] | undefined,
      };
    }),
  };
}
