// SPDX-License-Identifier: Apache-2.0

/**
 * One engine plugin declared in a package's `package.json` under `"tsc-engine"`. Static JSON, so the engine can
 * list plugins without importing them.
 *
 * ```json
 * "tsc-engine": { "apiVersion": 1, "plugins": [
 *   { "type": "tsc-engine.runtime.v1", "id": "runc", "module": "./lib/runc-module.js" } ] }
 * ```
 */
export interface PluginDeclaration {
  /** A {@link PluginType} string. */
  type: string;
  /** Unique within its type: `runc`, `hub`. */
  id: string;
  /** Path, relative to the package root, of an ES module whose default export is a {@link PluginInit}. */
  module: string;
  /** Plugin types (or `type/id`) that must be loaded first. */
  requires?: string[];
}

export interface PluginPackageManifest {
  apiVersion: number;
  plugins: PluginDeclaration[];
}

/** A package that may carry engine plugins, as found by whoever discovers packages (the CLI, through oclif). */
export interface PluginPackage {
  name: string;
  version: string;
  /** Absolute directory of the package. */
  root: string;
  /** The package's `"tsc-engine"` section, unvalidated. */
  manifest: unknown;
}
