// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSecurityOptions } from './security-options.js';

describe('parseSecurityOptions', () => {
  it('reads seccomp as unconfined, builtin or an inline profile, in either separator', () => {
    assert.deepEqual(parseSecurityOptions(undefined), { noNewPrivileges: false });
    assert.equal(parseSecurityOptions(['seccomp=unconfined']).seccomp, 'unconfined');
    assert.equal(parseSecurityOptions(['seccomp:builtin']).seccomp, 'builtin');
    const inline = parseSecurityOptions(['seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a=b"],"action":"SCMP_ACT_LOG"}]}']);
    assert.deepEqual(typeof inline.seccomp === 'object' && inline.seccomp.syscalls.map((r) => r.names), [['a=b']]);
  });

  it("reads no-new-privileges alone or with Go's booleans", () => {
    assert.equal(parseSecurityOptions(['no-new-privileges']).noNewPrivileges, true);
    assert.equal(parseSecurityOptions(['no-new-privileges:true']).noNewPrivileges, true);
    assert.equal(parseSecurityOptions(['no-new-privileges=true', 'no-new-privileges=0']).noNewPrivileges, false);
  });

  it("refuses what dockerd refuses, in dockerd's words", () => {
    assert.throws(() => parseSecurityOptions(['seccomp']), /^InvalidArgumentError: invalid --security-opt 1: "seccomp"$/);
    assert.throws(() => parseSecurityOptions(['nope=1']), /invalid --security-opt 2: "nope=1"/);
    assert.throws(() => parseSecurityOptions(['no-new-privileges=maybe']), /invalid --security-opt 2/);
    assert.throws(() => parseSecurityOptions(['seccomp=/etc/profile.json']), /decoding seccomp profile \(--security-opt seccomp\) failed/);
    assert.doesNotThrow(() => parseSecurityOptions(['apparmor=unconfined', 'label=disable']));
  });
});
