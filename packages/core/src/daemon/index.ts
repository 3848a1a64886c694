// SPDX-License-Identifier: Apache-2.0
export { runDaemon, type DaemonOptions, type RunningDaemon } from './run-daemon.js';
export type { PluginStatus } from '../plugin/plugin-status.js';
export type { PluginPackage } from '../plugin/plugin-manifest.js';
