// SPDX-License-Identifier: Apache-2.0
import { injectable } from 'inversify';
import type { RateLimit } from './rate-limit.js';

/** The pull quota a registry last reported, and when. */
export interface ObservedRateLimit extends RateLimit {
  registry: string;
  /** RFC 3339 time of the pull that reported it. */
  observedAt: string;
}

/** The last pull quota each registry reported, kept so `info` can show what remains between pulls. */
@injectable()
export class RegistryRateLimits {
  private readonly byRegistry = new Map<string, ObservedRateLimit>();

  record(registry: string, rateLimit: RateLimit, now = new Date()): void {
    this.byRegistry.set(registry, { registry, ...rateLimit, observedAt: now.toISOString() });
  }

  list(): ObservedRateLimit[] {
    return [...this.byRegistry.values()].sort((a, b) => a.registry.localeCompare(b.registry));
  }
}
