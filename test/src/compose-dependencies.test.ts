// SPDX-License-Identifier: Apache-2.0
// `tsc-engine compose up` orders services by their depends_on conditions (completed successfully, healthy),
// scales replicas, waits with --wait, restarts the dependents that ask for it (`restart: true`) with their
// dependency, and attached runs end with --abort-on-container-exit / --exit-code-from.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CliResult, EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

/** A shell command for a long-running service that stops at once on SIGTERM (PID 1 ignores it by default). */
const SLEEPER = "trap 'exit 0' TERM; sleep 300 & wait";

describe('compose dependencies, scale and waiting', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let dir: string;
  let image: string;

  /** Writes `<name>.yaml` and runs compose on it as project `name`. */
  const compose = async (name: string, yaml: string | undefined, ...args: string[]): Promise<CliResult> => {
    const file = join(dir, `${name}.yaml`);
    if (yaml !== undefined) await writeFile(file, yaml);
    return engine.cli(['compose', '-f', file, '-p', name, '--progress', 'plain', ...args]);
  };

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] });
    ({ engine, dir, busybox: image } = setup);
  });

  after(async () => {
    for (const name of ['deps', 'restarts', 'attached', 'sick']) await compose(name, undefined, 'down', '-t', '0');
    await setup?.stop();
  });

  it('starts a service after a one-shot completed and a dependency became healthy, with its replicas', async () => {
    const yaml = `
services:
  init:
    image: ${image}
    command: ["sh", "-c", "sleep 0.5; echo init-done"]
  db:
    image: ${image}
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; ${SLEEPER}"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 500ms
      retries: 20
  app:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
    deploy:
      replicas: 2
    depends_on:
      init:
        condition: service_completed_successfully
      db:
        condition: service_healthy
`;
    const up = await compose('deps', yaml, 'up', '-d', '--wait');
    assert.equal(up.code, 0, up.stderr);
    const at = (line: string) => {
      const index = up.stderr.indexOf(line);
      assert.ok(index >= 0, `missing "${line}" in:\n${up.stderr}`);
      return index;
    };
    assert.ok(at('Container deps-init-1  Exited') < at('Container deps-app-1  Starting'));
    assert.ok(at('Container deps-db-1  Healthy') < at('Container deps-app-2  Starting'));
    const ps = await compose('deps', undefined, 'ps', '-a', '--format', 'json');
    const states = ps.stdout.trim().split('\n').map((line) => JSON.parse(line) as { Name: string; State: string; Health: string });
    assert.deepEqual(states.map((s) => [s.Name, s.State]), [
      ['deps-app-1', 'running'],
      ['deps-app-2', 'running'],
      ['deps-db-1', 'running'],
      ['deps-init-1', 'exited'],
    ]);
    assert.equal(states[2].Health, 'healthy');

    const down = await compose('deps', undefined, 'up', '-d', '--scale', 'app=1');
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /Container deps-app-2  Removed/);
    assert.match(down.stderr, /Container deps-app-1  Running/);
  });

  it('restarts a dependent with restart: true when its dependency is recreated or restarted, and no other', async () => {
    const yaml = (version: number) => `
services:
  db:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
    environment:
      VERSION: "${version}"
  app:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
    depends_on:
      db:
        condition: service_started
        restart: true
  other:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
    depends_on: [db]
`;
    const ok = async (written: string | undefined, ...args: string[]) => {
      const result = await compose('restarts', written, ...args);
      assert.equal(result.code, 0, result.stderr);
      return result.stderr;
    };
    /** Each container's id and when it last started. */
    const started = async () => {
      const ids = (await engine.cliOk(['ps', '-q', '--filter', 'label=com.docker.compose.project=restarts'])).split('\n').filter(Boolean);
      const inspected = JSON.parse(await engine.cliOk(['inspect', ...ids])) as { Id: string; Name: string; State: { StartedAt: string } }[];
      return Object.fromEntries(inspected.map((c) => [c.Name.replace('/restarts-', ''), `${c.Id} ${c.State.StartedAt}`]));
    };
    await ok(yaml(1), 'up', '-d');
    const first = await started();

    // db's configuration changed: app stops before db goes and starts once it is back, in the same container.
    const up = await ok(yaml(2), 'up', '-d');
    /** Where `line` is in `output`, failing the test when it is not there (an absent line is at -1, before all). */
    const at = (output: string, line: string) => {
      const index = output.indexOf(line);
      assert.ok(index >= 0, `missing "${line}" in:\n${output}`);
      return index;
    };
    assert.ok(at(up, 'Container restarts-app-1  Stopped') < at(up, 'Container restarts-db-1  Recreate'));
    assert.ok(at(up, 'Container restarts-db-1  Started') < at(up, 'Container restarts-app-1  Started'));
    const second = await started();
    assert.equal(Object.keys(second).length, 3, JSON.stringify(second));
    assert.notEqual(second['db-1'].split(' ')[0], first['db-1'].split(' ')[0]);
    assert.equal(second['app-1'].split(' ')[0], first['app-1'].split(' ')[0]);
    assert.notEqual(second['app-1'], first['app-1']);
    assert.equal(second['other-1'], first['other-1']);

    // `restart db` restarts app after it; other, without restart: true, is left alone.
    const restart = await ok(undefined, 'restart', '-t', '0', 'db');
    assert.ok(at(restart, 'Container restarts-db-1  Started') < at(restart, 'Container restarts-app-1  Restarting'), restart);
    const third = await started();
    assert.notEqual(third['db-1'], second['db-1']);
    assert.notEqual(third['app-1'], second['app-1']);
    assert.equal(third['other-1'], second['other-1']);
  });

  it('attached up ends when a container exits and takes the exit code of --exit-code-from', async () => {
    const yaml = `
services:
  quitter:
    image: ${image}
    command: ["sh", "-c", "sleep 0.5; echo bye; exit 3"]
  sleeper:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
`;
    const result = await compose('attached', yaml, 'up', '--exit-code-from', 'quitter');
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^quitter-1 \| bye$/m);
    assert.match(result.stdout, /^quitter-1 exited with code 3$/m);
    assert.match(result.stderr, /Container attached-sleeper-1  Stopped/);
  });

  it('up --wait fails, naming the service, when its healthcheck never passes', async () => {
    const yaml = `
services:
  sick:
    image: ${image}
    command: ["sh", "-c", "${SLEEPER}"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 300ms
      retries: 2
`;
    const result = await compose('sick', yaml, 'up', '-d', '--wait', '--wait-timeout', '20');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: service "sick" is not ready: container sick-sick-1 is unhealthy/);
  });
});
