// SPDX-License-Identifier: Apache-2.0
// The engine end to end, as a user drives it: the real CLI against a real daemon that pulls from a real registry
// and runs containers with runc under conmon.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { REPO_ROOT, type FixtureRegistry } from './support/fixture-registry.js';

describe('tsc-engine CLI against a real daemon', () => {
  let setup: EngineWithImages;
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let busybox: string;

  before(async () => {
    // The first test pulls busybox itself: the pull's output is what it checks.
    setup = await startEngineWithImages({ pull: false });
    ({ registry, engine, busybox } = setup);
  });

  after(() => setup?.stop());

  it('pulls with plain progress lines and lists the image', async () => {
    const pull = await engine.cli(['pull', busybox]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /Pull complete/);
    assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${busybox}:latest`));

    const images = await engine.cli(['images']);
    assert.match(images.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE/);
    assert.match(images.stdout, new RegExp(`${busybox}\\s+latest\\s+[0-9a-f]{12}`));

    const inspect = await engine.cli(['image', 'inspect', busybox]);
    const [image] = JSON.parse(inspect.stdout) as { Id: string; RepoTags: string[] }[];
    assert.deepEqual(image.RepoTags, [`${busybox}:latest`]);
  });

  it('runs a command and prints its output', async () => {
    const result = await engine.cli(['run', '--rm', busybox, 'echo', 'hello']);
    assert.equal(result.stdout, 'hello\n', result.stderr);
    assert.equal(result.code, 0);
    assert.equal((await engine.cli(['ps', '-aq'])).stdout, '', '--rm removed the container');
  });

  it("exits with the container's exit code, and Docker's codes for commands that cannot run", async () => {
    assert.equal((await engine.cli(['run', '--rm', busybox, 'sh', '-c', 'exit 3'])).code, 3);
    const missing = await engine.cli(['run', '--rm', busybox, '/no/such/command']);
    assert.equal(missing.code, 127, missing.stderr);
    const notExecutable = await engine.cli(['run', '--rm', busybox, '/etc/passwd']);
    assert.equal(notExecutable.code, 126, notExecutable.stderr);
    const noImage = await engine.cli(['run', '--rm', `${registry.host}/fixtures/absent`, 'true']);
    assert.equal(noImage.code, 125);
    assert.match(noImage.stderr, /manifest unknown|not found/i);
  });

  it('passes environment, working directory, user, hostname and entrypoint', async () => {
    const run = (...args: string[]) => engine.cli(['run', '--rm', ...args]);
    assert.equal((await run('-e', 'GREETING=hi there', busybox, 'sh', '-c', 'echo $GREETING')).stdout, 'hi there\n');
    assert.equal((await run('-w', '/tmp', busybox, 'pwd')).stdout, '/tmp\n');
    assert.equal((await run('-u', '65534:65534', busybox, 'id', '-u')).stdout, '65534\n');
    assert.equal((await run('--hostname', 'box', busybox, 'hostname')).stdout, 'box\n');
    assert.equal((await run('--entrypoint', 'echo', busybox, 'from', 'entrypoint')).stdout, 'from entrypoint\n');
  });

  it('runs detached; logs follow, stop and rm work', async () => {
    const started = await engine.cli(['run', '-d', '--name', 'ticker', busybox, 'sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout.trim(), /^[0-9a-f]{64}$/);

    const ps = await engine.cli(['ps']);
    assert.match(ps.stdout, /CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES/);
    assert.match(ps.stdout, /Up .* ticker/);

    const follow = engine.cli(['logs', '-f', 'ticker']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stop = await engine.cli(['stop', '-t', '2', 'ticker']);
    assert.equal(stop.code, 0, stop.stderr);
    const logs = await follow;
    assert.match(logs.stdout, /^tick 0\ntick 1\n/);
    assert.equal(logs.code, 0, 'logs -f ends when the container stops');

    const inspect = JSON.parse((await engine.cli(['inspect', 'ticker'])).stdout) as { State: { Status: string; ExitCode: number } }[];
    assert.equal(inspect[0].State.Status, 'exited');
    // sh as pid 1 has no TERM handler, so the kernel drops TERM and stop falls back to KILL, as with Docker.
    assert.equal(inspect[0].State.ExitCode, 137);

    const tail = await engine.cli(['logs', '--tail', '1', '-t', 'ticker']);
    assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n$/);

    assert.equal((await engine.cli(['rm', 'ticker'])).code, 0);
    const gone = await engine.cli(['inspect', 'ticker']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No such object: ticker/);
  });

  it('creates, starts, waits, kills and refuses to remove a running container', async () => {
    const id = (await engine.cli(['create', '--name', 'sleeper', busybox, 'sleep', '60'])).stdout.trim();
    assert.match((await engine.cli(['ps', '-a'])).stdout, /Created\s+sleeper/);
    assert.equal((await engine.cli(['start', 'sleeper'])).code, 0);
    const rm = await engine.cli(['rm', 'sleeper']);
    assert.equal(rm.code, 1);
    assert.match(rm.stderr, /cannot remove a running container/);
    const waiting = engine.cli(['wait', id]);
    assert.equal((await engine.cli(['kill', 'sleeper'])).code, 0);
    assert.equal((await waiting).stdout, '137\n');
    assert.equal((await engine.cli(['rm', 'sleeper'])).code, 0);
  });

  it("builds the multi-layer fixture's root filesystem as its layers say", async () => {
    const image = `${registry.host}/fixtures/multilayer`;
    // busybox find prints type and mode through stat; one line per entry, like the expectation file.
    const listing = await engine.cli(['run', '--rm', image, 'sh', '-c', "find /data | sort | while read p; do stat -c '%n\t%F\t%a' \"$p\"; done"]);
    assert.equal(listing.code, 0, listing.stderr);
    const kind: Record<string, string> = { directory: 'd', 'regular file': 'f', 'regular empty file': 'f', 'symbolic link': 'l' };
    const actual = listing.stdout.trim().split('\n').map((line) => {
      const [path, type, mode] = line.split('\t');
      return `${path}\t${kind[type] ?? type}\t${mode.padStart(4, '0')}`;
    });
    const expected = (await readFile(`${REPO_ROOT}/test/fixtures/multilayer.expected`, 'utf8'))
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    assert.deepEqual(actual, expected);
  });

  it('keeps containers running across a daemon SIGKILL and restart', async () => {
    // It runs until the test lets it finish, however long the daemon takes to come back on a loaded machine.
    await engine.cliOk(['run', '-d', '--name', 'survivor', busybox, 'sh', '-c', 'echo before; until [ -e /tmp/go ]; do sleep 0.1; done; echo after; exit 7']);
    await engine.kill();
    await engine.launch();
    const ps = await engine.cli(['ps']);
    assert.match(ps.stdout, /Up .* survivor/, `still running after the daemon restart:\n${ps.stdout}\n${engine.log}`);
    await engine.cliOk(['exec', 'survivor', 'touch', '/tmp/go']);
    const logs = await engine.cli(['logs', '-f', 'survivor']);
    assert.equal(logs.stdout, 'before\nafter\n');
    assert.equal((await engine.cli(['wait', 'survivor'])).stdout, '7\n');
    const inspect = JSON.parse((await engine.cli(['inspect', 'survivor'])).stdout) as { State: { Status: string; ExitCode: number } }[];
    assert.deepEqual([inspect[0].State.Status, inspect[0].State.ExitCode], ['exited', 7]);
    await engine.cliOk(['rm', 'survivor']);
  });

  it('removes images, refusing one a container uses', async () => {
    // Its own image id (busybox, busybox-v2s2 and uncompressed share one): removing it deletes the image.
    const image = `${registry.host}/fixtures/multiarch`;
    await engine.cliOk(['create', '--name', 'user', image, 'true']);
    const refused = await engine.cli(['rmi', image]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /conflict/i);
    await engine.cliOk(['rm', 'user']);
    const removed = await engine.cli(['rmi', image]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /Untagged: .*multiarch:latest/);
    assert.match(removed.stdout, /Deleted: sha256:[0-9a-f]{64}/);
  });

  it('lists engine plugins with their status', async () => {
    const result = await engine.cli(['system', 'plugins']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /tsc-engine\.runtime\.v1\s+runc\s+@tsc-engine\/plugin-runtime-runc\s+\S+\s+ok/);
    assert.match(result.stdout, /tsc-engine\.registry\.v1\s+hub\s+@tsc-engine\/plugin-registry-hub\s+\S+\s+ok/);
  });
});
