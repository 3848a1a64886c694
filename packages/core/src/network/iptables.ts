// SPDX-License-Identifier: Apache-2.0
import { hostCommand } from './host-command.js';

/** A rule as iptables' arguments after the chain name; every rule the engine makes carries this comment. */
export type IptablesRule = string[];

const COMMENT = ['-m', 'comment', '--comment', 'tsc-engine'];

/**
 * The engine's own firewall rules (masquerading, forwarding to and from its bridges, isolation between them).
 * Adding checks first, so re-applying after a daemon restart or a reboot never duplicates a rule; removing
 * ignores rules already gone.
 */
export class Iptables {
  /** `first`: at the head of the chain, for a jump that must come before the rules that accept. */
  async ensure(table: string, chain: string, rule: IptablesRule, position: 'last' | 'first' = 'last'): Promise<void> {
    const present = await iptables(table, '-C', chain, rule).then(() => true, () => false);
    if (!present) await iptables(table, position === 'first' ? '-I' : '-A', chain, rule);
  }

  async remove(table: string, chain: string, rule: IptablesRule): Promise<void> {
    await iptables(table, '-D', chain, rule).catch(() => undefined);
  }

  /** Creates a chain of the engine's unless it exists (made before a restart, or by another daemon on the host). */
  async ensureChain(table: string, chain: string): Promise<void> {
    await hostCommand('iptables', ['-w', '-t', table, '-N', chain]).catch((error: Error) => {
      if (!/already exists/i.test(error.message)) throw error;
    });
  }
}

function iptables(table: string, operation: '-A' | '-I' | '-C' | '-D', chain: string, rule: IptablesRule): Promise<string> {
  return hostCommand('iptables', ['-w', '-t', table, operation, chain, ...rule, ...COMMENT]);
}
