// SPDX-License-Identifier: Apache-2.0
// Docker Engine API behaviours real clients rely on, end to end against a real daemon (runc under conmon) with the
// real docker CLI and raw API calls: detached execs (`docker exec -d`), a terminal's size from creation
// (`HostConfig.ConsoleSize`, an exec's `ConsoleSize`) and the attach/detach events `docker events` shows.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { apiCall } from './support/api-call.js';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

interface ExecState {
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
}

describe('Docker API gaps: detached exec, console size, attach events', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let image: string;
  let docker: DockerCli;

  const ok = (...args: string[]): Promise<string> => docker.ok(args);
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const { res, body: answer } = await apiCall(engine.socketPath, method, path, body);
    return { status: res.statusCode ?? 0, text: answer.toString() };
  };
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const { status, text } = await call(method, path, body);
    assert.ok(status < 300, `${method} ${path}: ${status} ${text}`);
    return JSON.parse(text) as T;
  };
  const createExec = async (container: string, config: Record<string, unknown>): Promise<string> =>
    (await json<{ Id: string }>('POST', `/v1.41/containers/${container}/exec`, config)).Id;
  const waitForExec = async (id: string): Promise<ExecState> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const state = await json<ExecState>('GET', `/v1.41/exec/${id}/json`);
      if (!state.Running && state.ExitCode !== null) return state;
      if (Date.now() > deadline) assert.fail(`exec ${id} did not end: ${JSON.stringify(state)}`);
      await delay(50);
    }
  };
  /** The actions `docker events` shows for a container between two times (seconds). */
  const eventsOf = async (container: string, since: number): Promise<string[]> => {
    const until = (Date.now() / 1000 + 0.5).toFixed(3);
    const out = await ok('events', '--since', since.toFixed(3), '--until', until, '--filter', `container=${container}`, '--filter', 'type=container', '--format', '{{.Action}}');
    return out.split('\n').filter(Boolean);
  };

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox: image } = setup);
    docker = dockerCli(engine, setup.dir);
    await ok('run', '-d', '--name', 'box', '--network', 'none', image, 'sleep', '600');
  });

  after(() => setup?.stop());

  it('docker exec -d runs the command in the background; the API shows it running, then its exit code', async () => {
    await ok('exec', '-d', 'box', 'sh', '-c', 'echo noise; echo more noise >&2; sleep 0.3; echo from-cli > /tmp/cli-marker');

    const id = await createExec('box', { Cmd: ['sh', '-c', 'sleep 1; touch /tmp/api-marker; exit 5'], AttachStdout: true, AttachStderr: true });
    const startedAt = Date.now();
    const start = await call('POST', `/v1.41/exec/${id}/start`, { Detach: true, Tty: false });
    assert.equal(start.status, 200, start.text);
    assert.equal(start.text, '');
    assert.ok(Date.now() - startedAt < 900, 'a detached start answers at once, not when the command ends');
    const running = await json<ExecState>('GET', `/v1.41/exec/${id}/json`);
    assert.equal(running.Running, true);
    assert.equal(running.ExitCode, null);
    assert.ok(running.Pid > 0);
    const ended = await waitForExec(id);
    assert.equal(ended.ExitCode, 5);

    assert.equal(await ok('exec', 'box', 'sh', '-c', 'cat /tmp/cli-marker; ls /tmp/api-marker'), 'from-cli\n/tmp/api-marker\n');
    const again = await call('POST', `/v1.41/exec/${id}/start`, { Detach: true });
    assert.equal(again.status, 409, 'an exec runs once');
  });

  it('a detached exec whose command cannot run fails its start, with Docker exit code 127', async () => {
    const id = await createExec('box', { Cmd: ['no-such-command'] });
    const start = await call('POST', `/v1.41/exec/${id}/start`, { Detach: true });
    assert.ok(start.status >= 400, `${start.status} ${start.text}`);
    assert.match(start.text, /no-such-command/);
    assert.equal((await waitForExec(id)).ExitCode, 127);
    const cli = await docker(['exec', '-d', 'box', 'no-such-command']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /no-such-command/);
  });

  it("an exec's terminal has its ConsoleSize from the start: the create's, or the start's over it", async () => {
    const fromCreate = await createExec('box', { Cmd: ['sh', '-c', 'stty size > /tmp/size-create'], Tty: true, ConsoleSize: [33, 111] });
    assert.equal((await call('POST', `/v1.41/exec/${fromCreate}/start`, { Detach: true, Tty: true })).status, 200);
    assert.equal((await waitForExec(fromCreate)).ExitCode, 0);

    const fromStart = await createExec('box', { Cmd: ['sh', '-c', 'stty size > /tmp/size-start'], Tty: true, ConsoleSize: [10, 20] });
    assert.equal((await call('POST', `/v1.41/exec/${fromStart}/start`, { Detach: true, Tty: true, ConsoleSize: [44, 123] })).status, 200);
    assert.equal((await waitForExec(fromStart)).ExitCode, 0);

    assert.equal(await ok('exec', 'box', 'cat', '/tmp/size-create', '/tmp/size-start'), '33 111\n44 123\n');
  });

  it('a Tty container gets HostConfig.ConsoleSize from its start, before any resize; attach emits attach, not detach', async () => {
    const since = Date.now() / 1000;
    const { Id: id } = await json<{ Id: string }>('POST', '/v1.41/containers/create', {
      Image: image,
      Cmd: ['stty', 'size'],
      Tty: true,
      AttachStdout: true,
      HostConfig: { NetworkMode: 'none', ConsoleSize: [27, 91] },
    });
    const output = attachOutput(engine.socketPath, id);
    // The attach must be in place before the start, as `docker run` does it.
    await delay(200);
    assert.equal((await call('POST', `/v1.41/containers/${id}/start`)).status, 204);
    assert.equal(await output, '27 91\r\n');
    assert.equal((await json<{ StatusCode: number }>('POST', `/v1.41/containers/${id}/wait`)).StatusCode, 0);
    assert.deepEqual(await eventsOf(id, since), ['create', 'attach', 'start', 'die']);
  });

  it('docker run (attached) shows attach and no detach in docker events; the detach keys do show detach', async () => {
    const since = Date.now() / 1000;
    assert.equal(await ok('run', '--name', 'plain', '--network', 'none', image, 'echo', 'hi'), 'hi\n');
    const plain = await eventsOf('plain', since);
    assert.deepEqual(plain.filter((action) => action === 'attach' || action === 'detach'), ['attach']);
    assert.deepEqual(plain, ['create', 'attach', 'start', 'die']);

    const shell = (await ok('run', '-dit', '--name', 'shell', '--network', 'none', image, 'sh')).trim();
    const detachedAt = Date.now() / 1000;
    await attachAndDetach(engine.socketPath, shell);
    assert.deepEqual(await eventsOf(shell, detachedAt), ['attach', 'detach']);
    assert.equal((await ok('inspect', '-f', '{{.State.Status}}', shell)).trim(), 'running', 'detaching left it running');
  });
});

/** Everything a plain (not hijacked) `attach?stream=1&stdout=1` answers, up to the container's exit. */
function attachOutput(socketPath: string, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path: `/v1.41/containers/${id}/attach?stream=1&stdout=1` }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`attach answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Hijacks an attach with stdin, types Docker's default detach keys (ctrl-p ctrl-q) and waits for the daemon to end it. */
async function attachAndDetach(socketPath: string, id: string): Promise<void> {
  const socket = connect(socketPath);
  socket.write(
    `POST /v1.41/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\n` +
      'Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n',
  );
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  while (!received.includes('\r\n\r\n')) await delay(10);
  assert.match(received, /^HTTP\/1\.1 101/);
  socket.write('\x10\x11');
  await closed;
}
