// SPDX-License-Identifier: Apache-2.0
// `pause` / `unpause` through tsc-engine's CLI and the docker CLI: a paused container's processes are frozen, it
// shows as paused, exec is refused, stop and kill still end it; copying into a running container freezes it while
// the copy runs and thaws it after.
import assert from 'node:assert/strict';
import http from 'node:http';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar-stream';
import { apiCall } from './support/api-call.js';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

describe('pause and unpause', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let image: string;
  let docker: DockerCli;

  const tsc = async (...args: string[]): Promise<string> => (await engine.cliOk(args)).trim();
  /** A container that appends a line to its log every 50 ms, so its log's length shows whether it runs. */
  const ticking = () => tsc('run', '-d', '--network', 'none', image, 'sh', '-c', 'while :; do echo tick; sleep 0.05; done');
  const logLength = async (id: string) => (await tsc('logs', id)).length;

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox: image } = setup);
    docker = dockerCli(engine, setup.dir);
  });

  after(() => setup?.stop());

  it('freezes the processes, shows the container as paused, and resumes them', async () => {
    const id = await ticking();
    await delay(200);
    assert.equal(await tsc('pause', id), id);
    const frozen = await logLength(id);
    await delay(400);
    assert.equal(await logLength(id), frozen, 'no output while paused');
    assert.equal(await tsc('inspect', '-f', '{{.State.Status}} {{.State.Running}} {{.State.Paused}}', id), 'paused true true');
    assert.match(await tsc('ps', '--filter', 'status=paused', '--format', '{{.ID}} {{.Status}}'), new RegExp(`^${id.slice(0, 12)} Up .* \\(Paused\\)$`));
    assert.equal(await tsc('ps', '-q', '--filter', 'status=running'), '', 'a paused container is not running for the filter');

    const exec = await engine.cli(['exec', id, 'true']);
    assert.notEqual(exec.code, 0);
    assert.match(exec.stderr, /is paused, unpause the container before exec/);
    const again = await engine.cli(['pause', id]);
    assert.match(again.stderr, /is already paused/);

    await tsc('unpause', id);
    await delay(300);
    assert.ok((await logLength(id)) > frozen, 'output again once unpaused');
    assert.equal(await tsc('inspect', '-f', '{{.State.Status}} {{.State.Paused}}', id), 'running false');
    const notPaused = await engine.cli(['unpause', id]);
    assert.match(notPaused.stderr, /is not paused/);
    await tsc('rm', '-f', id);
  });

  it('stops, kills and force-removes a paused container', async () => {
    const stopped = await ticking();
    const killed = await ticking();
    const removed = await ticking();
    await tsc('pause', stopped, killed, removed);
    await tsc('stop', '-t', '1', stopped);
    assert.equal(await tsc('inspect', '-f', '{{.State.Status}} {{.State.Paused}}', stopped), 'exited false');
    await tsc('kill', killed);
    assert.equal(await tsc('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', killed), 'exited 137');
    await tsc('rm', '-f', removed);
    assert.equal(await tsc('ps', '-aq', '--filter', `id=${removed}`), '');
    await tsc('rm', stopped, killed);
  });

  it('the docker CLI pauses and unpauses; events say so', async () => {
    const id = await ticking();
    const since = Math.floor(Date.now() / 1000) - 1;
    for (const command of ['pause', 'unpause']) {
      await docker.ok([command, id]);
    }
    const events = await docker.ok(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `container=${id}`, '--filter', 'event=pause', '--filter', 'event=unpause', '--format', '{{.Action}}']);
    assert.deepEqual(events.trim().split('\n'), ['pause', 'unpause']);
    await tsc('pause', id);
    const info = JSON.parse((await apiCall(engine.socketPath, 'GET', '/v1.41/info')).body.toString()) as { ContainersPaused: number };
    assert.equal(info.ContainersPaused, 1);
    await tsc('rm', '-f', id);
  });

  it('copying into a running container freezes it until the copy ends, and thaws it after', async () => {
    const id = await ticking();
    await delay(200);
    // An upload held open half-way: the container stays frozen for as long as the archive is being written.
    const body = new PassThrough();
    const request = http.request({ socketPath: engine.socketPath, method: 'PUT', path: `/v1.41/containers/${id}/archive?path=/tmp`, headers: { 'Content-Type': 'application/x-tar' } });
    const answered = new Promise<number>((resolve, reject) => request.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
    body.pipe(request);
    const archive = tar.pack();
    archive.pipe(body);
    const entry = archive.entry({ name: 'slow.txt', size: 6 });
    entry.write('hel');
    await delay(300);
    const during = await logLength(id);
    await delay(400);
    assert.equal(await logLength(id), during, 'frozen while the copy runs');
    entry.end('lo\n');
    archive.finalize();
    assert.equal(await answered, 200);
    assert.equal(await tsc('exec', id, 'cat', '/tmp/slow.txt'), 'hello');
    const after = await logLength(id);
    await delay(300);
    assert.ok((await logLength(id)) > after, 'running again after the copy');
    const events = await docker.ok(['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `container=${id}`, '--format', '{{.Action}}']);
    assert.ok(!/pause/.test(events), `the freeze is not a pause the user made: ${events}`);
    await tsc('rm', '-f', id);
  });
});
