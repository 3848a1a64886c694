// SPDX-License-Identifier: Apache-2.0
// The commands end to end, as a user runs them: `bin/run.js` in a child process against a stand-in daemon, so
// output, exit codes and the process exiting on its own are all checked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FakeEngine } from './test-support/fake-engine.js';

const runJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js');
let engine: FakeEngine;

before(async () => {
  engine = await new FakeEngine().start();
  engine.addImage('busybox:latest');
});
after(() => engine.stop());

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runJs, ...args], {
      env: { ...process.env, TSC_ENGINE_HOST: engine.socketPath, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data));
    child.stderr.on('data', (data: Buffer) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lastRequest(method: string, path: RegExp) {
  const found = engine.requests.filter((r) => r.method === method && path.test(r.path)).at(-1);
  assert.ok(found, `${method} ${path}`);
  return found;
}

test('run --rm: environment from -e and the shell, output on stdout, wait for removal, exit 0', async () => {
  const result = await cli(['run', '--rm', '-e', 'A=1', '-e', 'FROM_SHELL', '-l', 'tier=web', 'busybox', 'env'], { FROM_SHELL: 'yes' });
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, 'A=1\nFROM_SHELL=yes\n');
  assert.equal(result.code, 0);
  const create = lastRequest('POST', /^\/containers\/create$/).body as { HostConfig: { AutoRemove: boolean }; Labels: object; Cmd: string[] };
  assert.equal(create.HostConfig.AutoRemove, true);
  assert.deepEqual(create.Labels, { tier: 'web' });
  assert.deepEqual(create.Cmd, ['env']);
  assert.equal(lastRequest('POST', /\/wait$/).query.condition, 'removed');
});

test("run: the container's stderr goes to stderr and its exit status becomes ours", async () => {
  const result = await cli(['run', 'busybox', 'fail', '3']);
  assert.equal(result.stderr, 'boom\n');
  assert.equal(result.code, 3);
  assert.equal(lastRequest('POST', /\/wait$/).query.condition, 'next-exit');
});

test('run: a missing command exits 127 with the daemon message', async () => {
  const result = await cli(['run', '--rm', 'busybox', 'missing']);
  assert.equal(result.code, 127);
  assert.match(result.stderr, /^Error response from daemon: failed to create task: exec: "missing": executable file not found/);
});

test('run: a missing image is pulled with progress on stderr, then the container runs', async () => {
  const result = await cli(['run', '--rm', 'alpine', 'echo', 'hi', '-l']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'hi -l\n');
  assert.match(result.stderr, /^Unable to find image 'alpine:latest' locally\nUsing default tag: latest\nlatest: Pulling from library\/alpine\n/);
  assert.match(result.stderr, /aaaaaaaaaaaa: Pull complete\n/);
  assert.doesNotMatch(result.stderr, /Downloading/);
  assert.equal(lastRequest('POST', /^\/images\/create$/).query.fromImage, 'docker.io/library/alpine');
});

test('run -d prints the full id; ps, inspect, stop, rm and wait work on it', async () => {
  const run = await cli(['run', '-d', '--name', 'web', 'busybox', 'sleep']);
  assert.equal(run.code, 0);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const ps = await cli(['ps']);
  const [header, row] = ps.stdout.split('\n');
  assert.match(header, /^CONTAINER ID {3}IMAGE {5}COMMAND {3}CREATED +STATUS +PORTS {5}NAMES$/);
  assert.match(row, new RegExp(`^${id.slice(0, 12)}   busybox   "sleep"   (Less than a second|\\d seconds?) ago +Up 2 seconds +web$`));
  assert.equal((await cli(['ps', '-q'])).stdout, `${id.slice(0, 12)}\n`);
  assert.equal((await cli(['ps', '--format', '{{.Names}} {{.State}}'])).stdout, 'web running\n');
  assert.equal((await cli(['inspect', '-f', '{{.State.Status}} {{.Name}}', 'web'])).stdout, 'running /web\n');

  const rmRunning = await cli(['rm', 'web']);
  assert.equal(rmRunning.code, 1);
  assert.match(rmRunning.stderr, /^Error response from daemon: cannot remove container "\/web": container is running/);

  assert.deepEqual(await cli(['stop', '-t', '1', 'web']), { code: 0, stdout: 'web\n', stderr: '' });
  assert.equal(lastRequest('POST', /\/stop$/).query.t, '1');
  assert.equal((await cli(['wait', 'web'])).stdout, '143\n');
  const listed = JSON.parse((await cli(['ps', '-a', '--format', 'json'])).stdout.split('\n').find((l) => l.includes('"web"')) ?? '{}');
  assert.equal(listed.State, 'exited');
  assert.deepEqual(await cli(['rm', 'web', 'nosuch']), {
    code: 1,
    stdout: 'web\n',
    stderr: 'Error response from daemon: No such container: nosuch\n',
  });
});

test('create then start, and logs of what it printed', async () => {
  const create = await cli(['create', '--name', 'hello', 'busybox', 'echo', 'hello', 'world']);
  assert.match(create.stdout, /^[0-9a-f]{64}\n$/);
  assert.deepEqual(await cli(['start', 'hello']), { code: 0, stdout: 'hello\n', stderr: '' });
  assert.equal((await cli(['wait', 'hello'])).stdout, '0\n');
  const logs = await cli(['logs', '--tail', '10', 'hello']);
  assert.equal(logs.stdout, 'hello world\n');
  assert.equal(lastRequest('GET', /\/logs$/).query.tail, '10');
});

test('images, image inspect, rmi and pull', async () => {
  const images = await cli(['images']);
  assert.match(images.stdout, /^REPOSITORY   TAG {7}IMAGE ID {7}CREATED {14}SIZE\n/);
  assert.match(images.stdout, /\nbusybox {6}latest {4}[0-9a-f]{12}   About a minute ago   4\.26MB\n/);
  assert.equal((await cli(['image', 'inspect', '--format', '{{.Os}} {{json .Config.Cmd}}', 'busybox'])).stdout, 'linux ["sh"]\n');
  const inspect = JSON.parse((await cli(['image', 'inspect', 'busybox'])).stdout) as { RepoTags: string[] }[];
  assert.deepEqual(inspect[0].RepoTags, ['busybox:latest']);

  const pull = await cli(['pull', 'redis:7']);
  assert.equal(pull.code, 0);
  assert.equal(pull.stdout.split('\n').at(-2), 'docker.io/library/redis:7');
  const failed = await cli(['pull', 'nosuch']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^Error: manifest for nosuch:latest not found/m);

  const rmi = await cli(['rmi', 'redis:7']);
  assert.match(rmi.stdout, /^Untagged: redis:7\nDeleted: sha256:[0-9a-f]{64}\n$/);
});

test('version, info and system plugins', async () => {
  const version = await cli(['version']);
  assert.match(version.stdout, /^Client:\n Version: {11}0\.1\.0\n API version: {7}1\.41\n/);
  assert.match(version.stdout, /\nServer: tsc-engine\n Engine:\n  Version: {10}0\.1\.0-fake\n  API version: {6}1\.41 \(minimum version 1\.24\)\n/);
  assert.match((await cli(['info'])).stdout, /\n Total Memory: 8GiB\n/);
  assert.equal(
    (await cli(['system', 'plugins'])).stdout,
    'TYPE                    ID        PACKAGE                           VERSION   STATUS    REASON\n' +
      'tsc-engine.runtime.v1   runc      @tsc-engine/plugin-runtime-runc   0.1.0     ok        \n' +
      'tsc-engine.runtime.v1   crun      @tsc-engine/plugin-runtime-crun   0.1.0     skipped   crun not found\n',
  );
});

test('global flags may come before the command, docker style', async () => {
  const result = await cli(['--host', engine.socketPath, '--no-autostart', 'image', 'inspect', '-f', '{{.Os}}', 'busybox'], {
    TSC_ENGINE_HOST: '/nonexistent/engine.sock',
  });
  assert.deepEqual(result, { code: 0, stdout: 'linux\n', stderr: '' });
});

test('no daemon and --no-autostart: a clear error with a hint, exit 1', async () => {
  const result = await cli(['ps', '--no-autostart', '--host', 'unix:///nonexistent/engine.sock']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^Error: cannot connect to the tsc-engine daemon at unix:\/\/\/nonexistent\/engine\.sock\nHint: .*tsc-engine daemon/);
});
