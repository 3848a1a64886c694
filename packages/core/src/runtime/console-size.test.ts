// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execProcess } from '../supervisor/task-exec.js';
import { consoleSize } from './console-size.js';
import type { OciSpec } from './oci-spec.js';

describe('consoleSize', () => {
  it("takes Docker's [height, width]", () => assert.deepEqual(consoleSize([24, 80]), { height: 24, width: 80 }));
  it('treats [0, 0] and a missing size alike: no size', () => {
    assert.equal(consoleSize([0, 0]), undefined);
    assert.equal(consoleSize(null), undefined);
    assert.equal(consoleSize(undefined), undefined);
  });
  it('ignores what is not two whole non-negative numbers', () => {
    assert.equal(consoleSize([24]), undefined);
    assert.equal(consoleSize([-1, 80]), undefined);
    assert.equal(consoleSize([2.5, 80]), undefined);
  });
});

describe("an exec's console size", () => {
  const spec = {
    process: { terminal: true, consoleSize: { height: 50, width: 200 }, user: { uid: 0, gid: 0 }, args: ['sh'], env: [], cwd: '/' },
    root: { path: '/nonexistent' },
  } as unknown as OciSpec;

  it("is the exec's own on a terminal, never the container's", async () => {
    const sized = await execProcess(spec, { args: ['stty', 'size'], tty: true, consoleSize: { height: 10, width: 20 } });
    assert.deepEqual(sized.consoleSize, { height: 10, width: 20 });
    assert.equal((await execProcess(spec, { args: ['stty', 'size'], tty: true })).consoleSize, undefined);
  });

  it('is left out without a terminal', async () => {
    const plain = await execProcess(spec, { args: ['true'], consoleSize: { height: 10, width: 20 } });
    assert.equal(plain.terminal, false);
    assert.equal(plain.consoleSize, undefined);
  });
});
