// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core';

/** The plugin's section of the daemon configuration, `"tsc-engine.runtime.v1.nice-runc"` in daemon.json. */
export interface NiceRuncConfig {
  /** nice(1) increment for every container process: 1 (slightly lower priority) to 19 (lowest). */
  niceness: number;
}

export const DEFAULT_NICENESS = 10;

/** Validates the section; a bad value fails the plugin's load with a message naming the key. */
export function niceRuncConfig(section: Record<string, unknown>): NiceRuncConfig {
  const niceness = section.niceness ?? DEFAULT_NICENESS;
  if (typeof niceness !== 'number' || !Number.isInteger(niceness) || niceness < 1 || niceness > 19) {
    throw new InvalidArgumentError(`runtime nice-runc: "niceness" must be an integer from 1 to 19, got ${JSON.stringify(niceness)}`);
  }
  return { niceness };
}
