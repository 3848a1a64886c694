// SPDX-License-Identifier: Apache-2.0
// The real docker CLI (v28) driven through a pseudo-terminal (tmux) against a tsc-engine daemon: `run -it`,
// `exec -it`, `attach` and its detach keys, `start -a[i]`, piped stdin; then the same flows through dockerode, and
// through tsc-engine's own CLI.
import assert from 'node:assert/strict';
import { PassThrough, type Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { DOCKER, dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { TmuxTerminals } from './support/tmux-terminal.js';

describe('the docker CLI interactively against tsc-engine', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let image: string;
  let docker: DockerCli;
  let dockerode: Docker;
  const terminals = new TmuxTerminals();

  const ok = async (...args: string[]): Promise<string> => (await docker.ok(args)).trim();

  /** A terminal of 30 rows and 100 columns running `docker args…`; it prints `[exit N]` when docker exits. */
  const terminal = (args: string[]) =>
    terminals.open(DOCKER, args, {
      env: docker.env,
      context: () => `--- daemon log:\n${engine.log.slice(-3000)}`,
    });

  before(async () => {
    setup = await startEngineWithImages({ packages: ['tmux'], pull: false });
    ({ engine, busybox: image } = setup);
    docker = dockerCli(engine, setup.dir);
    await ok('pull', image);
    dockerode = new Docker({ socketPath: engine.socketPath });
  });

  after(async () => {
    await terminals.stop();
    await setup?.stop();
  });

  it('docker run -it gives a shell on a terminal of the right size, and its exit code', async () => {
    const term = await terminal(['run', '-it', '--rm', '--network', 'none', image, 'sh']);
    try {
      await term.waitFor(/\/ # $/m);
      // The CLI resizes the terminal after start, so the shell's prompt can come first: wait until it has a size.
      await term.type('until stty size >/dev/null 2>&1; do sleep 0.1; done; echo hi; stty size; tty; exit 3', 'Enter');
      const screen = await term.waitFor(/\[exit \d+\]/);
      assert.match(screen, /\[exit 3\]/);
      assert.match(screen, /^hi$/m);
      assert.match(screen, /^30 100$/m, 'the CLI resized the terminal to its own');
      assert.match(screen, /^\/dev\/pts\/0$/m);
    } finally {
      await term.close();
    }
    assert.equal(await ok('ps', '-aq'), '', '--rm removed the container');
  });

  it('docker exec -it runs a shell on a terminal in a running container', async () => {
    const id = await ok('run', '-d', '--network', 'none', image, 'sleep', '300');
    const term = await terminal(['exec', '-it', id, 'sh']);
    try {
      await term.waitFor(/\/ # $/m);
      await term.type('until stty size >/dev/null 2>&1; do sleep 0.1; done; echo hi from exec; stty size; exit 3', 'Enter');
      const screen = await term.waitFor(/\[exit \d+\]/);
      assert.match(screen, /\[exit 3\]/);
      assert.match(screen, /^hi from exec$/m);
      assert.match(screen, /^30 100$/m);
    } finally {
      await term.close();
    }
    assert.equal(await ok('inspect', '-f', '{{.State.Status}}', id), 'running', 'the exec ended, not the container');
    await ok('rm', '-f', id);
  });

  it('docker run -i passes piped stdin and closes it at its end; without -i, stdout and stderr stay apart', async () => {
    const piped = await docker(['run', '-i', '--rm', '--network', 'none', image, 'sh', '-c', 'cat; echo done'], { input: 'data\nmore\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, 'data\nmore\ndone\n');

    const split = await docker(['run', '--rm', '--network', 'none', image, 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    assert.equal(split.code, 4, split.stderr);
    assert.equal(split.stdout, 'out\n');
    assert.equal(split.stderr, 'err\n');
  });

  it('docker attach reaches a running container, and ctrl-p ctrl-q detaches leaving it running', async () => {
    const id = await ok('run', '-dit', '--network', 'none', image, 'sh');
    const term = await terminal(['attach', id]);
    try {
      // The shell's prompt came before the attach; a newline brings another.
      await term.type('Enter');
      await term.waitFor(/\/ # $/m);
      await term.type('echo attached-$((40+2))', 'Enter');
      await term.waitFor(/^attached-42$/m);
      await term.type('C-p', 'C-q');
      const screen = await term.waitFor(/\[exit \d+\]/);
      // As with dockerd: the CLI reports the detach as `read escape sequence`.
      assert.match(screen, /read escape sequence/);
    } finally {
      await term.close();
    }
    assert.equal(await ok('inspect', '-f', '{{.State.Status}}', id), 'running');
    assert.match(await ok('logs', id), /attached-42/);

    // Attaching again finds the same shell, stdin still open.
    const again = await terminal(['attach', id]);
    try {
      await again.type('echo again; exit 6', 'Enter');
      await again.waitFor(/\[exit 6\]/);
    } finally {
      await again.close();
    }
    assert.equal(await ok('inspect', '-f', '{{.State.ExitCode}}', id), '6');
    await ok('rm', id);
  });

  it('docker start -a streams a container from its start and exits with its code; -i passes stdin', async () => {
    const id = await ok('create', '--network', 'none', image, 'sh', '-c', 'echo started; exit 5');
    for (let round = 0; round < 2; round++) {
      const started = await docker(['start', '-a', id]);
      assert.equal(started.code, 5, started.stderr);
      assert.equal(started.stdout, 'started\n', `round ${round}`);
    }
    const reader = await ok('create', '-i', '--network', 'none', image, 'sh', '-c', 'read line; echo got $line');
    const interactive = await docker(['start', '-ai', reader], { input: 'hello\n' });
    assert.equal(interactive.code, 0, interactive.stderr);
    assert.equal(interactive.stdout, 'got hello\n');
    await ok('rm', id, reader);
  });

  it('dockerode attaches before start as docker run does, with stdin, and detaches with its own keys', async () => {
    const container = await dockerode.createContainer({
      Image: image, Cmd: ['sh', '-c', 'cat; echo bye >&2'], OpenStdin: true, StdinOnce: true, AttachStdin: true,
      HostConfig: { NetworkMode: 'none' },
    });
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    const output = demux(stream);
    await container.start();
    stream.write('ping\n');
    stream.end();
    const [{ StatusCode }, { stdout, stderr }] = await Promise.all([container.wait(), output]);
    assert.equal(StatusCode, 0);
    assert.equal(stdout, 'ping\n');
    assert.equal(stderr, 'bye\n');
    await container.remove();

    const shell = await dockerode.createContainer({
      Image: image, Cmd: ['sh'], OpenStdin: true, HostConfig: { NetworkMode: 'none' },
    });
    await shell.start();
    const attached = (await shell.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true, detachKeys: 'ctrl-x' })) as Duplex;
    const seen = demux(attached);
    attached.write('echo one\n');
    await delay(300);
    // ctrl-x detaches: the daemon ends the stream, the shell runs on.
    attached.write('\x18');
    assert.equal((await seen).stdout, 'one\n');
    assert.equal((await shell.inspect()).State.Running, true);
    await shell.remove({ force: true });
  });

  it('dockerode runs execs with stdin, with and without a terminal, resizes one, and reads their exit codes', async () => {
    const container = await dockerode.createContainer({ Image: image, Cmd: ['sleep', '300'], HostConfig: { NetworkMode: 'none' } });
    await container.start();

    const exec = await container.exec({
      Cmd: ['sh', '-c', 'cat; echo err >&2; exit 7'], AttachStdin: true, AttachStdout: true, AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const output = demux(stream);
    stream.end('in\n');
    assert.deepEqual(await output, { stdout: 'in\n', stderr: 'err\n' });
    assert.equal((await exec.inspect()).ExitCode, 7);

    const tty = await container.exec({
      Cmd: ['sh', '-c', 'read go; stty size; exit 2'], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true,
    });
    const raw = (await tty.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    let text = '';
    raw.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise((resolve) => raw.once('end', resolve));
    await tty.resize({ h: 42, w: 81 });
    raw.write('go\r');
    await ended;
    assert.match(text, /42 81/);
    assert.equal((await tty.inspect()).ExitCode, 2);
    assert.equal((await tty.inspect()).ProcessConfig.tty, true);
    await container.remove({ force: true });
  });

  it('tsc-engine run -it, exec -it, attach and start -ai with their detach keys, through the same endpoints', async () => {
    const shell = await engine.terminal(terminals, ['run', '-it', '--rm', '--network', 'none', image, 'sh']);
    try {
      await shell.waitFor(/\/ # $/m);
      await shell.type('until stty size >/dev/null 2>&1; do sleep 0.1; done; echo hi; stty size; exit 3', 'Enter');
      const screen = await shell.waitFor(/\[exit \d+\]/);
      assert.match(screen, /\[exit 3\]/);
      assert.match(screen, /^hi$/m);
      assert.match(screen, /^30 100$/m);
    } finally {
      await shell.close();
    }

    const id = (await engine.cliOk(['run', '-dit', '--network', 'none', image, 'sh'])).trim();
    const exec = await engine.terminal(terminals, ['exec', '-it', id, 'sh']);
    try {
      await exec.waitFor(/\/ # $/m);
      await exec.type('echo in-exec; exit 4', 'Enter');
      assert.match(await exec.waitFor(/\[exit \d+\]/), /^in-exec$[\s\S]*\[exit 4\]/m);
    } finally {
      await exec.close();
    }
    const attach = await engine.terminal(terminals, ['attach', id]);
    try {
      await attach.type('echo attached', 'Enter');
      await attach.waitFor(/^attached$/m);
      await attach.type('C-p', 'C-q');
      assert.match(await attach.waitFor(/\[exit \d+\]/), /\[exit 0\]/);
    } finally {
      await attach.close();
    }
    assert.equal(await ok('inspect', '-f', '{{.State.Status}}', id), 'running');
    await ok('rm', '-f', id);

    const piped = await engine.cli(['run', '-i', '--rm', '--network', 'none', image, 'sh', '-c', 'cat; echo err >&2; exit 5'], { input: 'data\n' });
    assert.deepEqual(piped, { code: 5, stdout: 'data\n', stderr: 'err\n' });
    const reader = (await engine.cliOk(['create', '-i', '--network', 'none', image, 'sh', '-c', 'read line; echo got $line; exit 2'])).trim();
    const started = await engine.cli(['start', '-ai', reader], { input: 'hello\n' });
    assert.deepEqual(started, { code: 2, stdout: 'got hello\n', stderr: '' });
    await ok('rm', reader);

    const detachable = (await engine.cliOk(['create', '-it', '--network', 'none', image, 'sh'])).trim();
    const startTerminal = await engine.terminal(terminals, ['start', '-ai', '--detach-keys', 'ctrl-x', detachable]);
    try {
      await startTerminal.waitFor(/\/ # $/m);
      await startTerminal.type('echo started', 'Enter');
      await startTerminal.waitFor(/^started$/m);
      await startTerminal.type('C-x');
      assert.match(await startTerminal.waitFor(/\[exit \d+\]/), /\[exit 0\]/);
    } finally {
      await startTerminal.close();
    }
    assert.equal(await ok('inspect', '-f', '{{.State.Status}}', detachable), 'running');
    await ok('rm', '-f', detachable);
  });
});

/** Splits a multiplexed stream into its stdout and stderr, resolving when it ends. */
function demux(stream: Duplex): Promise<{ stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  new Docker().modem.demuxStream(stream, stdout, stderr);
  return new Promise((resolve) => stream.once('end', () => resolve({ stdout: out, stderr: err })));
}
