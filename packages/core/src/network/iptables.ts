// SPDX-License-Identifier: Apache-2.0
import { hostCommand } from './host-command.js';

/** A rule as iptables' arguments after the chain name; every rule the engine makes carries this comment. */
export type IptablesRule = string[];

const COMMENT = ['-m', 'comment', '--comment', 'tsc-engine'];

/**
 * The engine's own firewall rules (masquerading, forwarding to and from its bridges). Adding checks first, so
 * re-applying after a daemon restart or a reboot never duplicates a rule; removing ignores rules already gone.
 */
export class Iptables {
  async ensure(table: string, chain: string, rule: IptablesRule): Promise<void> {
    const present = await iptables(table, '-C', chain, rule).then(() => true, () => false);
    if (!present) await iptables(table, '-A', chain, rule);
  }

  async remove(table: string, chain: string, rule: IptablesRule): Promise<void> {
    await iptables(table, '-D', chain, rule).catch(() => undefined);
  }
}

function iptables(table: string, operation: '-A' | '-C' | '-D', chain: string, rule: IptablesRule): Promise<string> {
  return hostCommand('iptables', ['-w', '-t', table, operation, chain, ...rule, ...COMMENT]);
}
