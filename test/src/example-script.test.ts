// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EngineDaemon } from './support/engine-daemon.js';
import { freePort, REPO_ROOT } from './support/fixture-registry.js';
import { stopLocalFixtureRegistry } from './support/local-fixture-registry.js';

const run = promisify(execFile);

// The README's main job, end to end, on a registry port and daemon of its own so it cannot meet a user's.
describe('scripts/example.sh', () => {
  let daemon: EngineDaemon;
  let registryDir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    daemon = await EngineDaemon.start();
    registryDir = await mkdtemp(join(tmpdir(), 'tsc-engine-example-registry-'));
    env = {
      ...process.env,
      EXAMPLE_REGISTRY: `127.0.0.1:${await freePort()}`,
      EXAMPLE_REGISTRY_DIR: registryDir,
      TSC_ENGINE_HOST: daemon.socketPath,
    };
  });
  after(async () => {
    await stopLocalFixtureRegistry(registryDir);
    await rm(registryDir, { recursive: true, force: true });
    await daemon?.stop();
  });

  it('serves the busybox fixture, runs `echo hello` in it, and does it again reusing the registry', async () => {
    const script = join(REPO_ROOT, 'scripts/example.sh');
    const first = await run(script, [], { env });
    assert.match(first.stdout, /started a docker-registry on 127\.0\.0\.1:\d+/);
    assert.match(first.stdout, /^hello$/m);
    assert.match(first.stdout, /ok: the container printed hello/);
    const second = await run(script, [], { env });
    assert.match(second.stdout, /a registry already answers on 127\.0\.0\.1:\d+: reusing it/);
    assert.match(second.stdout, /^hello$/m);
    assert.equal((await daemon.cli(['ps', '-aq'])).stdout.trim(), '', 'run --rm left a container behind');
  });
});
