// SPDX-License-Identifier: Apache-2.0
// Against the host's real iptables, in a chain of the test's own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hostCommand } from './host-command.js';
import { Iptables, type IptablesRule } from './iptables.js';

const chain = `TSC-TEST-${process.pid}`;
const rule = (i: number): IptablesRule => ['-i', `tsctest${i}`, '-m', 'comment', '--comment', `rule ${i}`, '-j', 'ACCEPT'];
const listed = async () => (await hostCommand('iptables', ['-w', '-S', chain])).trim().split('\n').slice(1);

before(() => hostCommand('iptables', ['-w', '-N', chain]));
after(async () => {
  await hostCommand('iptables', ['-w', '-F', chain]);
  await hostCommand('iptables', ['-w', '-X', chain]);
});

test('removeAll removes rules in one batch, words with spaces included', async () => {
  const iptables = new Iptables();
  for (const i of [1, 2, 3]) await iptables.ensure('filter', chain, rule(i));
  assert.equal((await listed()).length, 3);
  await iptables.removeAll([1, 2].map((i) => ['filter', chain, rule(i)]));
  assert.deepEqual(await listed(), [`-A ${chain} -i tsctest3 -m comment --comment "rule 3" -m comment --comment tsc-engine -j ACCEPT`]);
});

test('removeAll removes what is there when some rules are gone already', async () => {
  const iptables = new Iptables();
  await iptables.ensure('filter', chain, rule(4));
  await iptables.removeAll([3, 4, 5].map((i) => ['filter', chain, rule(i)]));
  assert.deepEqual(await listed(), []);
});
