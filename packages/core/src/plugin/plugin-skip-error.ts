// SPDX-License-Identifier: Apache-2.0
import { EngineError } from '../errors/engine-error.js';

/**
 * Thrown by a plugin's `probe()` when it cannot work on this host (its binary is missing, the kernel lacks a
 * feature). The plugin is listed as skipped with this message; other errors list it as error.
 */
export class PluginSkipError extends EngineError {
  readonly skip = true;
  constructor(message: string) {
    super('failed-precondition', message);
    this.name = 'PluginSkipError';
  }
}

export function isPluginSkip(error: unknown): boolean {
  return (error as { skip?: unknown } | undefined)?.skip === true;
}
