// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ociSpecJson } from './oci-spec-json.js';
import type { OciSpec } from './oci-spec.js';

it('writes an unlimited rlimit as RLIM_INFINITY, exactly', () => {
  const spec = {
    process: { rlimits: [{ type: 'RLIMIT_CORE', soft: Infinity, hard: Infinity }, { type: 'RLIMIT_NOFILE', soft: 1, hard: 2 }] },
  } as unknown as OciSpec;
  assert.equal(
    ociSpecJson(spec),
    '{"process":{"rlimits":[{"type":"RLIMIT_CORE","soft":18446744073709551615,"hard":18446744073709551615},{"type":"RLIMIT_NOFILE","soft":1,"hard":2}]}}',
  );
});
