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

  /**
   * Removes rules, in one `iptables-restore` when all are there: one process and one turn of the xtables lock
   * instead of one each, which the lock makes wait for each other (5 rules: 64 → 12 ms, the larger part of
   * `network rm`). A batch is all or nothing, so when a rule is gone already they are removed one by one.
   */
  async removeAll(rules: Array<[table: string, chain: string, rule: IptablesRule]>): Promise<void> {
    const tables = new Map<string, string[]>();
    for (const [table, chain, rule] of rules) {
      const lines = tables.get(table) ?? [];
      lines.push(['-D', chain, ...rule, ...COMMENT].map(quoted).join(' '));
      tables.set(table, lines);
    }
    const batch = [...tables].map(([table, lines]) => [`*${table}`, ...lines, 'COMMIT'].join('\n')).join('\n') + '\n';
    await hostCommand('iptables-restore', ['-w', '--noflush'], batch).catch(() =>
      Promise.all(rules.map(([table, chain, rule]) => iptables(table, '-D', chain, rule).catch(() => undefined))),
    );
  }

  /** Creates a chain of the engine's unless it exists (made before a restart, or by another daemon on the host). */
  async ensureChain(table: string, chain: string): Promise<void> {
    await hostCommand('iptables', ['-w', '-t', table, '-N', chain]).catch((error: Error) => {
      if (!/already exists/i.test(error.message)) throw error;
    });
  }
}

/** An argument as iptables-restore reads it: quoted when it holds a space (the rules' own words never hold quotes). */
function quoted(word: string): string {
  return /\s/.test(word) ? `"${word}"` : word;
}

function iptables(table: string, operation: '-A' | '-I' | '-C' | '-D', chain: string, rule: IptablesRule): Promise<string> {
  return hostCommand('iptables', ['-w', '-t', table, operation, chain, ...rule, ...COMMENT]);
}
