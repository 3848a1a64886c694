// SPDX-License-Identifier: Apache-2.0
import type { Interfaces } from '@oclif/core';
import type { PluginPackage } from '@tsc-engine/core/client';

/**
 * The packages that may carry engine plugins, taken from oclif's plugin list so core, user-installed
 * (`plugins install`) and linked plugins all come from one source. Only packages with a `"tsc-engine"` section are
 * passed on; the daemon validates that section.
 */
export function toPluginPackages(plugins: Interfaces.Plugin[]): PluginPackage[] {
  return plugins
    .filter((plugin) => plugin.pjson['tsc-engine'] !== undefined)
    .map((plugin) => ({ name: plugin.name, version: plugin.version, root: plugin.root, manifest: plugin.pjson['tsc-engine'] }));
}
