// SPDX-License-Identifier: Apache-2.0
import { injectable } from 'inversify';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { Registry } from './registry.js';

/**
 * The registry plugins that loaded. Filled by the plugin host; asked by pull, push and login which plugin serves
 * a registry host: the one that claims it most specifically (ECR's host pattern over the generic one).
 */
@injectable()
export class RegistryResolver {
  private readonly registries: Registry[] = [];

  register(registry: Registry): void {
    this.registries.push(registry);
  }

  /** The plugin serving `domain`; the first registered wins a tie, so core plugins beat later duplicates. */
  resolve(domain: string): Registry {
    let best: Registry | undefined;
    let bestScore = 0;
    for (const registry of this.registries) {
      const score = registry.matches(domain);
      if (score > bestScore) [best, bestScore] = [registry, score];
    }
    if (!best) {
      throw new InvalidArgumentError(`no registry plugin serves ${domain}`, {
        hint: this.registries.length
          ? `loaded registry plugins: ${this.registries.map((r) => r.id).join(', ')}`
          : 'no registry plugin is loaded; check `tsc-engine system:plugins`',
      });
    }
    return best;
  }

  list(): Registry[] {
    return [...this.registries];
  }
}
