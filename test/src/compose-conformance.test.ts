// SPDX-License-Identifier: Apache-2.0
// The compose-spec conformance check of issue 4: ../shared/compose-conformance/check.sh runs
// `tsc-engine compose -f FILE config` on each corpus file and compares the output with docker-compose's. It
// installs python3-yaml itself when missing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './support/fixture-registry.js';
import { runProcess } from './support/run-process.js';

const CHECK = join(REPO_ROOT, '..', 'shared', 'compose-conformance', 'check.sh');

test('compose config matches docker compose on every scored file of the conformance corpus', { timeout: 600_000 }, async () => {
  const result = await runProcess(CHECK, [`${join(REPO_ROOT, 'bin', 'tsc-engine')} compose`]);
  const output = `${result.stdout}${result.stderr}`;
  const lines = result.stdout.trim().split('\n');
  assert.match(lines[lines.length - 1], /^compose-corpus: \d+ parsed, \d+ match, \d+ total$/, output);
  assert.equal(result.code, 0, output);
});
