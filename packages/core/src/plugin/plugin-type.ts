// SPDX-License-Identifier: Apache-2.0

/**
 * The kinds of plugin the engine loads, as versioned strings (containerd's plugin types). A third-party plugin
 * copies the string it implements into its manifest; a breaking change to a contract gets a new version suffix
 * and both are supported for a while.
 */
export const PluginType = {
  Runtime: 'tsc-engine.runtime.v1',
  Registry: 'tsc-engine.registry.v1',
} as const;

export type PluginType = (typeof PluginType)[keyof typeof PluginType];

export const PLUGIN_API_VERSION = 1;
