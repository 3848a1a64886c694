// SPDX-License-Identifier: Apache-2.0
// exec into running containers and healthchecks run by the engine, end to end: the real CLI and raw API calls
// against a real daemon running busybox containers with runc under conmon.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { apiCall } from './support/api-call.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

interface HealthState {
  Status: string;
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[];
}

describe('exec and healthchecks', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let image: string;

  const call = (method: string, path: string, body?: unknown) => apiCall(engine.socketPath, method, path, body);
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => JSON.parse((await call(method, path, body)).body.toString()) as T;
  const health = async (name: string): Promise<HealthState | undefined> =>
    (await json<{ State: { Health?: HealthState } }>('GET', `/containers/${name}/json`)).State.Health;
  const waitForHealth = async (name: string, status: string, timeoutMs = 15_000): Promise<HealthState> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await health(name);
      if (state?.Status === status) return state;
      if (Date.now() > deadline) assert.fail(`${name} did not become ${status}: ${JSON.stringify(state)}`);
      await delay(100);
    }
  };
  const runDetached = async (...args: string[]): Promise<void> => {
    const result = await engine.cli(['run', '-d', '--network', 'none', ...args]);
    assert.equal(result.code, 0, result.stderr);
  };

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox: image } = setup);
    await runDetached('--name', 'box', image, 'sleep', '600');
  });

  after(() => setup?.stop());

  it("exec prints the command's stdout and stderr and exits with its code; events tell it, with the exec's id", async () => {
    const since = (Date.now() / 1000).toFixed(3);
    const result = await engine.cli(['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'err\n');
    assert.equal(result.code, 7);
    const filters = encodeURIComponent(JSON.stringify({ container: ['box'] }));
    const { body } = await call('GET', `/events?since=${since}&until=${(Date.now() / 1000 + 1).toFixed(3)}&filters=${filters}`);
    const events = body.toString().trim().split('\n').map((line) => JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } });
    const execID = events[0]?.Actor.Attributes.execID ?? '';
    assert.match(execID, /^[0-9a-f]{64}$/);
    // moby's attributes: the container's labels (busybox has none), image and name, then the exec's own.
    const attributes = { image, name: 'box', execID };
    assert.deepEqual(
      events.map((e) => [e.Action, e.Actor.Attributes]),
      [
        ['exec_create: sh -c echo out; echo err >&2; exit 7', attributes],
        ['exec_start: sh -c echo out; echo err >&2; exit 7', attributes],
        ['exec_die', { ...attributes, exitCode: '7' }],
      ],
    );
    assert.equal((await engine.cli(['exec', 'box', 'true'])).code, 0);
  });

  it('exec takes environment, working directory and user, and keeps the command its flags', async () => {
    const result = await engine.cli(['exec', '-e', 'GREETING=hi there', '-w', '/tmp', '-u', '65534:65534', 'box', 'sh', '-c', 'echo "$GREETING"; pwd; id -u; id -g; echo -n -e x']);
    assert.equal(result.stdout, 'hi there\n/tmp\n65534\n65534\nx', result.stderr);
    const defaults = await engine.cli(['exec', 'box', 'sh', '-c', 'pwd; id -u; echo $PATH']);
    assert.match(defaults.stdout, /^\/\n0\n\/usr\/local\/sbin:/);
  });

  it("exits 127 with the runtime's message when the command does not exist", async () => {
    const result = await engine.cli(['exec', 'box', 'no-such-command']);
    assert.equal(result.code, 127);
    assert.match(result.stdout + result.stderr, /executable file not found/);
  });

  it('answers 409 for exec into a stopped container', async () => {
    await engine.cli(['create', '--network', 'none', '--name', 'idle', image, 'true']);
    const { res, body } = await call('POST', '/v1.41/containers/idle/exec', { Cmd: ['true'] });
    assert.equal(res.statusCode, 409);
    assert.match(JSON.parse(body.toString()).message, /^container [0-9a-f]{64} is not running$/);
    const cli = await engine.cli(['exec', 'idle', 'true']);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /Error response from daemon: container [0-9a-f]{64} is not running/);
  });

  it('streams over a hijacked connection on Upgrade: tcp, then tells the exit code in exec inspect', async () => {
    const { Id } = await json<{ Id: string }>('POST', '/v1.41/containers/box/exec', {
      Cmd: ['sh', '-c', 'read line; echo "got $line"; echo oops >&2; exit 3'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const socket = connect(engine.socketPath);
    const body = JSON.stringify({ Detach: false, Tty: false });
    socket.write(
      `POST /v1.41/exec/${Id}/start HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    while (!Buffer.concat(chunks).includes('\r\n\r\n')) await delay(10);
    socket.end('hello\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const raw = Buffer.concat(chunks);
    const headerEnd = raw.indexOf('\r\n\r\n');
    assert.match(raw.subarray(0, headerEnd).toString(), /^HTTP\/1\.1 101 UPGRADED\r\n/);
    assert.match(raw.subarray(0, headerEnd).toString(), /Upgrade: tcp/);
    const frames: Record<number, string> = { 1: '', 2: '' };
    for (let rest = raw.subarray(headerEnd + 4); rest.length >= 8; ) {
      const size = rest.readUInt32BE(4);
      frames[rest[0]] += rest.subarray(8, 8 + size).toString();
      rest = rest.subarray(8 + size);
    }
    assert.deepEqual(frames, { 1: 'got hello\n', 2: 'oops\n' });
    const inspect = await json<Record<string, unknown>>('GET', `/v1.41/exec/${Id}/json`);
    assert.equal(inspect.ID, Id);
    assert.equal(inspect.Running, false);
    assert.equal(inspect.ExitCode, 3);
    assert.equal((inspect.Pid as number) > 0, true);
    assert.match(String(inspect.ContainerID), /^[0-9a-f]{64}$/);
    assert.deepEqual(inspect.ProcessConfig, { tty: false, entrypoint: 'sh', arguments: ['-c', 'read line; echo "got $line"; echo oops >&2; exit 3'], privileged: false });
  });

  it('a passing healthcheck makes the container healthy, shown in ps, the health filter and events', async () => {
    const since = (Date.now() / 1000).toFixed(3);
    await runDetached('--name', 'fine', '--health-cmd', 'test -e /etc/passwd', '--health-interval', '200ms', image, 'sleep', '600');
    assert.equal((await health('fine'))?.Status, 'starting');
    const state = await waitForHealth('fine', 'healthy');
    assert.equal(state.FailingStreak, 0);
    assert.equal(state.Log.at(-1)?.ExitCode, 0);

    const ps = await engine.cli(['ps', '--filter', 'name=fine']);
    assert.match(ps.stdout, /Up .* \(healthy\)\s+fine/);
    const healthy = await json<{ Names: string[] }[]>('GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify({ health: ['healthy'] }))}`);
    assert.deepEqual(healthy.map((c) => c.Names[0]), ['/fine']);

    const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: ['health_status'], container: ['fine'] }));
    const until = (Date.now() / 1000 + 0.5).toFixed(3);
    const { body } = await call('GET', `/v1.41/events?since=${since}&until=${until}&filters=${filters}`);
    const events = body.toString().trim().split('\n').map((line) => JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> }; timeNano: number });
    assert.deepEqual(events.map((e) => e.Action), ['health_status: healthy']);
    assert.equal(events[0].Actor.Attributes.name, 'fine');
  });

  it('a failing healthcheck makes the container unhealthy after its retries, with the probes logged', async () => {
    const watch = call('GET', `/events?filters=${encodeURIComponent(JSON.stringify({ event: { health_status: true } }))}&until=${(Date.now() / 1000 + 8).toFixed(3)}`);
    await runDetached('--name', 'sick', '--health-cmd', 'echo failing; exit 1', '--health-interval', '200ms', '--health-retries', '2', image, 'sleep', '600');
    const state = await waitForHealth('sick', 'unhealthy');
    assert.equal(state.FailingStreak, 2);
    assert.deepEqual(state.Log.map((entry) => [entry.ExitCode, entry.Output]), [[1, 'failing\n'], [1, 'failing\n']]);
    assert.ok(Date.parse(state.Log[0].End) >= Date.parse(state.Log[0].Start));
    assert.match((await engine.cli(['ps', '--filter', 'name=sick'])).stdout, /\(unhealthy\)\s+sick/);
    await delay(1000);
    const logged = await health('sick');
    assert.equal(logged?.Log.length, 5, 'the log keeps the last five probes');
    assert.ok((logged?.FailingStreak ?? 0) >= 5);

    // A live events stream saw the change, and only that one: the status does not change again.
    await engine.cli(['rm', '-f', 'sick']);
    const { body } = await watch;
    const actions = body.toString().trim().split('\n').map((line) => JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } });
    assert.deepEqual(actions.filter((e) => e.Actor.Attributes.name === 'sick').map((e) => e.Action), ['health_status: unhealthy']);
  });

  it('a probe that outlives its timeout is killed and counts as a failure', async () => {
    await runDetached('--name', 'slow', '--health-cmd', 'sleep 5', '--health-interval', '200ms', '--health-timeout', '300ms', '--health-retries', '1', image, 'sleep', '600');
    const state = await waitForHealth('slow', 'unhealthy');
    assert.deepEqual([state.Log[0].ExitCode, state.Log[0].Output], [-1, 'Health check exceeded timeout (0.3s)']);
    // A probe starts every half second and would live 5 s; killed at its timeout, at most the current one runs.
    await delay(1500);
    const top = await engine.cliOk(['exec', 'slow', 'ps']);
    assert.ok((top.match(/sleep 5/g) ?? []).length <= 1, top);
    await engine.cli(['rm', '-f', 'slow']);
  });

  it('keeps running healthchecks across a daemon restart, keeping the status', async () => {
    await waitForHealth('fine', 'healthy');
    await engine.kill();
    const killedAt = Date.now();
    await engine.launch();
    assert.equal((await health('fine'))?.Status, 'healthy', 'the status survives');
    const deadline = Date.now() + 10_000;
    while (!(await health('fine'))?.Log.some((entry) => Date.parse(entry.Start) > killedAt)) {
      assert.ok(Date.now() < deadline, 'no probe ran after the restart');
      await delay(100);
    }
    // Stops with the container: no probe starts once it has exited.
    assert.equal((await engine.cli(['stop', '-t', '1', 'fine'])).code, 0);
    const stopped = await health('fine');
    await delay(600);
    assert.deepEqual(await health('fine'), stopped);
  });

  it('--no-healthcheck and a healthcheck-less container report no health', async () => {
    await runDetached('--name', 'plain', '--no-healthcheck', image, 'sleep', '600');
    assert.equal(await health('plain'), undefined);
    const none = await json<{ Names: string[] }[]>('GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify({ health: ['none'] }))}`);
    assert.ok(none.some((c) => c.Names[0] === '/plain'));
    const conflict = await engine.cli(['run', '-d', '--no-healthcheck', '--health-retries', '2', image, 'true']);
    assert.equal(conflict.code, 125);
    assert.match(conflict.stderr, /--no-healthcheck conflicts with --health-\* options/);
  });
});
