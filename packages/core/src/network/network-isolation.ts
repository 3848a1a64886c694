// SPDX-License-Identifier: Apache-2.0
import type { Iptables, IptablesRule } from './iptables.js';

/** Docker's DOCKER-ISOLATION-STAGE-1/2 under the engine's names, shared by every engine daemon on the host. */
export const ISOLATION_STAGE_1 = 'TSC-ISOLATION-STAGE-1';
export const ISOLATION_STAGE_2 = 'TSC-ISOLATION-STAGE-2';

/**
 * Isolation between bridge networks, as moby's bridge driver does it: FORWARD first jumps to stage 1, which
 * sends a packet that came in from one engine bridge and is not going back out of it to stage 2, which drops it
 * if it leaves through another engine bridge. That is two rules per network rather than one per pair, and
 * everything else — the host, the outside world through masquerading — passes both stages. A container on two
 * networks still reaches both: its traffic never crosses from one bridge to the other.
 *
 * The chains and the jump to them stay when the last network goes, as Docker's do: another daemon on the host
 * may add a network to them at any moment, and empty they let everything through.
 */
export class NetworkIsolation {
  private chains?: Promise<void>;

  constructor(private readonly iptables: Iptables) {}

  async isolate(bridge: string): Promise<void> {
    this.chains ??= this.ensureChains().catch((error: unknown) => {
      this.chains = undefined;
      throw error;
    });
    await this.chains;
    await Promise.all(isolationRules(bridge).map(([chain, rule]) => this.iptables.ensure('filter', chain, rule)));
  }

  /** The rules {@link isolate} made for `bridge`, for the network's teardown to remove with its own. */
  rulesOf(bridge: string): Array<[table: string, chain: string, rule: IptablesRule]> {
    return isolationRules(bridge).map(([chain, rule]) => ['filter', chain, rule]);
  }

  private async ensureChains(): Promise<void> {
    await Promise.all([ISOLATION_STAGE_1, ISOLATION_STAGE_2].map((chain) => this.iptables.ensureChain('filter', chain)));
    // First in FORWARD: the networks' own rules there accept whatever enters or leaves a bridge.
    await this.iptables.ensure('filter', 'FORWARD', ['-j', ISOLATION_STAGE_1], 'first');
  }
}

function isolationRules(bridge: string): [string, IptablesRule][] {
  return [
    [ISOLATION_STAGE_1, ['-i', bridge, '!', '-o', bridge, '-j', ISOLATION_STAGE_2]],
    [ISOLATION_STAGE_2, ['-o', bridge, '-j', 'DROP']],
  ];
}
