// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { daemonLimits, ociRlimits, parseProcLimits, validateUlimits } from './rlimits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max core file size        0                    unlimited            bytes
Max open files            1024                 20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('rlimits', () => {
  it('reads /proc/<pid>/limits by ulimit name, unlimited as Infinity', () => {
    const limits = parseProcLimits(LIMITS);
    assert.deepEqual(limits.get('nofile'), { soft: 1024, hard: 20000 });
    assert.deepEqual(limits.get('core'), { soft: 0, hard: Infinity });
    assert.deepEqual(limits.get('cpu'), { soft: Infinity, hard: Infinity });
    assert.equal(limits.has('nproc'), false);
  });

  it("reads the daemon's own limits", async () => {
    const own = parseProcLimits(await readFile('/proc/self/limits', 'utf8'));
    assert.deepEqual(await daemonLimits(), own);
    assert.ok((own.get('nofile')?.hard ?? 0) > 0);
  });

  it('accepts limits at or below the hard limit and maps them to the spec, -1 unlimited', () => {
    const limits = parseProcLimits(LIMITS);
    const ulimits = [{ Name: 'nofile', Soft: 512, Hard: 20000 }, { Name: 'core', Soft: -1, Hard: -1 }];
    validateUlimits(ulimits, limits);
    assert.deepEqual(ociRlimits(ulimits), [
      { type: 'RLIMIT_NOFILE', soft: 512, hard: 20000 },
      { type: 'RLIMIT_CORE', soft: Infinity, hard: Infinity },
    ]);
    assert.equal(ociRlimits([]), undefined);
  });

  it('refuses to raise a hard limit, naming the limit and the most it can be', () => {
    const limits = parseProcLimits(LIMITS);
    assert.throws(
      () => validateUlimits([{ Name: 'nofile', Soft: 1024, Hard: 30000 }], limits),
      { code: 'invalid-argument', message: /ulimit nofile: the hard limit 30000 is above the daemon's own hard limit 20000.*use at most nofile=1024:20000/ },
    );
    assert.throws(() => validateUlimits([{ Name: 'memlock', Soft: -1, Hard: -1 }], limits), /hard limit unlimited is above the daemon's own hard limit 8388608/);
  });

  it("refuses Docker's invalid ulimits with Docker's words", () => {
    assert.throws(() => validateUlimits([{ Name: 'as', Soft: 1, Hard: 1 }], new Map()), /invalid ulimit type: as/);
    assert.throws(() => validateUlimits([{ Name: 'nofile', Soft: 2, Hard: 1 }], new Map()), /ulimit soft limit must be less than or equal to hard limit: 2 > 1/);
  });
});
