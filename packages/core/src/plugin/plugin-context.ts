// SPDX-License-Identifier: Apache-2.0
import type { ContainerModule } from 'inversify';

/** What a plugin is given when it is initialised (containerd's InitContext). */
export interface PluginContext {
  type: string;
  id: string;
  /** Persistent directory owned by this plugin: `<data-root>/plugins/<type>.<id>`. */
  rootDir: string;
  /** Directory for state that does not survive a reboot: `<exec-root>/plugins/<type>.<id>`. */
  stateDir: string;
  /** The daemon configuration's section for this plugin (`"<type>.<id>"`), or `{}`. */
  config: Record<string, unknown>;
}

/**
 * The default export of a plugin module. It returns the bindings the plugin contributes; the plugin must bind the
 * contribution token of its type (for a runtime plugin, {@link Runtime}).
 */
export type PluginInit = (context: PluginContext) => ContainerModule;
