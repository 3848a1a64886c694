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
const COMPOSE_FILE = join(REPO_ROOT, 'examples/hit-counter/compose.yaml');

// The README's main job, end to end, on a registry port, app port and daemon of its own so it cannot meet a user's.
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
      HIT_COUNTER_PORT: String(await freePort()),
      TSC_ENGINE_HOST: daemon.socketPath,
      TSC_ENGINE_STATE: daemon.stateDir,
    };
  });
  after(async () => {
    if (env) {
      await run(join(REPO_ROOT, 'bin/tsc-engine'), ['compose', '-f', COMPOSE_FILE, 'down', '-v', '-t', '1'], { env }).catch(() => undefined);
    }
    await stopLocalFixtureRegistry(registryDir);
    await rm(registryDir, { recursive: true, force: true });
    await daemon?.stop();
  });

  it('builds the hit counter, brings it up with compose and it answers; a second run reuses the registry and counts on', async () => {
    const script = join(REPO_ROOT, 'scripts/example.sh');
    const first = await run(script, [], { env });
    assert.match(first.stdout, /started a docker-registry on 127\.0\.0\.1:\d+/);
    assert.match(first.stdout, /ok: the hit counter answers on http:\/\/127\.0\.0\.1:\d+\//);
    const count = Number(/^hits: (\d+)$/m.exec(first.stdout)?.[1]);
    assert.equal(count, 1, first.stdout);
    const second = await run(script, [], { env });
    assert.match(second.stdout, /a registry already answers on 127\.0\.0\.1:\d+: reusing it/);
    assert.match(second.stdout, /^hits: 2$/m);
    const ps = await daemon.cli(['compose', '-f', COMPOSE_FILE, 'ps', '--format', 'json']);
    assert.deepEqual(ps.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { Service: string; State: string }).State), ['running', 'running']);
  });
});
