// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grantableCapabilities } from '../runtime/capabilities.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import { execProcess } from './task-exec.js';

describe("an exec's capabilities", () => {
  const own = ['CAP_CHOWN', 'CAP_KILL'];
  const spec = {
    process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['sh'], env: [], cwd: '/', capabilities: { bounding: own, effective: own, permitted: own } },
    root: { path: '/nonexistent' },
  } as unknown as OciSpec;

  it("are the container's", async () => {
    assert.deepEqual((await execProcess(spec, { args: ['true'] })).capabilities, spec.process.capabilities);
  });

  it('are every one the engine can grant when the exec is privileged, as Docker gives them', async () => {
    const all = await grantableCapabilities();
    assert.deepEqual((await execProcess(spec, { args: ['true'], privileged: true })).capabilities, { bounding: all, effective: all, permitted: all });
  });
});
