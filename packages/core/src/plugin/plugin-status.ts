// SPDX-License-Identifier: Apache-2.0

export type PluginState = 'ok' | 'skipped' | 'error';

/** How loading one plugin went, as `tsc-engine plugins` shows it. */
export interface PluginStatus {
  type: string;
  id: string;
  package: string;
  version: string;
  status: PluginState;
  /** Why it was skipped or failed. */
  reason?: string;
}
