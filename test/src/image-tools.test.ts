// SPDX-License-Identifier: Apache-2.0
// `export`, `import` and `history` end to end, with the real docker CLI (v28) and tsc-engine's own: a container's
// file system exported as a tar (its volumes left out), imported back as an image that runs, from a file, STDIN or
// gzip, with `--change` and `--message`; the history of pulled and imported images; and the archives and sources
// import refuses.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ImageHistoryItem } from '@tsc-engine/core/client';
import { apiCall } from './support/api-call.js';
import { DOCKER, dockerCli, type DockerCli } from './support/docker-cli.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import { runProcess } from './support/run-process.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);

describe('export, import and history', () => {
  let setup: EngineWithImages;
  let docker: DockerCli;
  let exported: string;

  const tarEntries = async (file: string) => (await run('tar', ['-tf', file], { maxBuffer: 16 << 20 })).stdout.split('\n').filter(Boolean);
  /** docker with a shell around it, for redirections: a tar on stdin or stdout. */
  const dockerShell = (script: string) => runProcess('sh', ['-c', script], { env: { ...process.env, ...docker.env, DOCKER: DOCKER } });
  const history = async (name: string) => JSON.parse((await apiCall(setup.engine.socketPath, 'GET', `/images/${name}/history`)).body.toString()) as ImageHistoryItem[];

  before(async () => {
    setup = await startEngineWithImages();
    docker = dockerCli(setup.engine, setup.dir);
    exported = join(setup.dir, 'writer.tar');
  });
  after(() => setup?.stop());

  it("exports a container's file system without its volumes, stopped, running or never started", async () => {
    const { engine, busybox, dir } = setup;
    await engine.cliOk(['run', '--name', 'writer', '--network', 'none', '-v', '/data', busybox, 'sh', '-c', 'echo hello-export > /hello && echo vol > /data/in-volume']);
    await docker.ok(['export', '-o', exported, 'writer']);
    const entries = await tarEntries(exported);
    for (const entry of ['hello', 'bin/', 'bin/busybox', 'etc/passwd', 'data/']) assert.ok(entries.includes(entry), `${entry} in ${entries.slice(0, 20).join(' ')}`);
    assert.ok(!entries.includes('data/in-volume'), 'the volume is not exported');
    assert.ok(entries.every((entry) => !entry.startsWith('./') && !entry.startsWith('/')), 'entries are relative, as Docker names them');
    assert.equal((await run('tar', ['-xOf', exported, 'hello'])).stdout, 'hello-export\n');

    // docker to stdout, of a running container; then tsc-engine's own, of one never started.
    await engine.cliOk(['run', '-d', '--name', 'runner', '--network', 'none', busybox, 'sh', '-c', 'echo up > /running; exec sleep 60']);
    const running = join(dir, 'running.tar');
    await waitFor(async () => (await docker(['exec', 'runner', 'cat', '/running'])).stdout === 'up\n');
    const toStdout = await dockerShell(`"$DOCKER" export runner > ${running}`);
    assert.equal(toStdout.code, 0, toStdout.stderr);
    assert.ok((await tarEntries(running)).includes('running'));
    await engine.cliOk(['create', '--name', 'fresh', busybox]);
    const fresh = join(dir, 'fresh.tar');
    await engine.cliOk(['export', '-o', fresh, 'fresh']);
    assert.ok((await tarEntries(fresh)).includes('bin/busybox'));
    await engine.cliOk(['rm', '-f', 'runner', 'fresh']);
  });

  it('imports an exported file system as an image that runs, with --change and --message', async () => {
    const id = (await docker.ok(['import', '-c', 'CMD ["cat","/hello"]', '-m', 'from an export', exported, 'imported:v1'])).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await docker.ok(['run', '--rm', '--network', 'none', 'imported:v1']), 'hello-export\n');
    const [inspect] = JSON.parse(await docker.ok(['image', 'inspect', 'imported:v1'])) as { Id: string; Comment: string; Config: { Cmd: string[] }; Os: string; RootFS: { Layers: string[] } }[];
    assert.equal(inspect.Id, id);
    assert.equal(inspect.Comment, 'from an export');
    assert.deepEqual(inspect.Config.Cmd, ['cat', '/hello']);
    assert.equal(inspect.Os, 'linux');
    assert.equal(inspect.RootFS.Layers.length, 1);

    // tsc-engine's own, from a gzip, with several changes that build on each other.
    const gzipped = join(setup.dir, 'writer.tar.gz');
    await run('sh', ['-c', `gzip -c ${exported} > ${gzipped}`]);
    await setup.engine.cliOk(['import', '-c', 'ENV GREETING=hi', '-c', 'ENV MESSAGE="$GREETING there"', '-c', 'WORKDIR /srv', '-c', 'WORKDIR app',
      '-c', 'ENTRYPOINT ["sh","-c"]', '-c', 'CMD ["echo $MESSAGE from $PWD"]', '-c', 'EXPOSE 80 53/udp', '-c', 'LABEL kind=imported', gzipped, 'gz-imported']);
    assert.equal(await docker.ok(['run', '--rm', '--network', 'none', 'gz-imported']), 'hi there from /srv/app\n');
    const [gz] = JSON.parse(await docker.ok(['image', 'inspect', 'gz-imported:latest'])) as { Comment: string; Config: { ExposedPorts: object; Labels: object } }[];
    assert.equal(gz.Comment, 'Imported from -');
    assert.deepEqual(gz.Config.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
    assert.deepEqual(gz.Config.Labels, { kind: 'imported' });
  });

  it('docker import reads STDIN', async () => {
    const piped = await dockerShell(`"$DOCKER" import - piped:latest < ${exported}`);
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(await docker.ok(['run', '--rm', '--network', 'none', 'piped', 'cat', '/hello']), 'hello-export\n');
  });

  it('shows the history of a pulled and of an imported image, as docker does', async () => {
    const { engine, busybox } = setup;
    const pulled = await history(busybox);
    const busyboxId = JSON.parse(await docker.ok(['image', 'inspect', '--format', '{{json .Id}}', busybox])) as string;
    assert.ok(pulled.length > 0);
    assert.equal(pulled[0].Id, busyboxId);
    assert.deepEqual(pulled[0].Tags, [busybox + ':latest']);
    assert.ok(pulled.slice(1).every((item) => item.Id === '<missing>' && item.Tags === null));
    const layers = (JSON.parse(await docker.ok(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', busybox])) as string[]).length;
    assert.equal(pulled.filter((item) => item.Size > 0).length, layers, 'each layer step is sized, other steps are 0');

    const rows = (await docker.ok(['history', busybox])).trimEnd().split('\n');
    assert.match(rows[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.equal(rows.length, pulled.length + 1);
    assert.ok(rows[1].startsWith(busyboxId.slice('sha256:'.length, 'sha256:'.length + 12)));

    const imported = await history('imported:v1');
    assert.equal(imported.length, 1);
    assert.deepEqual({ ...imported[0], Created: 0, Size: 0 }, { Id: imported[0].Id, Created: 0, CreatedBy: '', Tags: ['imported:v1'], Size: 0, Comment: 'from an export' });
    assert.ok(imported[0].Size > 500_000, `the layer's size: ${imported[0].Size}`);
    assert.ok(Math.abs(imported[0].Created - Date.now() / 1000) < 600);

    const docker_ = (await docker.ok(['history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Comment}}', 'imported:v1'])).trim();
    const own = (await engine.cliOk(['history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Comment}}', 'imported:v1'])).trim();
    assert.equal(own, docker_);
    assert.equal(own, `${imported[0].Id.slice(7, 19)}||from an export`);
    const table = (await engine.cliOk(['history', 'imported:v1'])).trimEnd().split('\n');
    assert.match(table[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.match(table[1], /^[0-9a-f]{12}\s+(Less than a second|\d+ seconds?|About a minute|\d+ minutes) ago\s+\d+(\.\d+)?MB\s+from an export$/);
    assert.equal((await engine.cliOk(['history', '-q', busybox])).split('\n').filter(Boolean).length, pulled.length);
  });

  it('refuses an archive that is not a tar, and a URL to fetch, saying why', async () => {
    const text = join(setup.dir, 'not-a-tar.txt');
    await writeFile(text, 'hello, this is no tar archive at all\n'.repeat(40));
    const notTar = await docker(['import', text, 'nope']);
    assert.equal(notTar.code, 1);
    assert.match(notTar.stderr, /Error response from daemon: import: the archive is not a tar file/);
    const own = await setup.engine.cli(['import', text, 'nope']);
    assert.notEqual(own.code, 0);
    assert.match(own.stderr, /the archive is not a tar file/);

    const url = await docker(['import', 'http://127.0.0.1:9/rootfs.tar', 'nope']);
    assert.equal(url.code, 1);
    assert.match(url.stderr, /import from "http:\/\/127\.0\.0\.1:9\/rootfs\.tar": only archives sent with the request \(fromSrc=-\) can be imported/);
    const ownUrl = await setup.engine.cli(['import', 'http://127.0.0.1:9/rootfs.tar']);
    assert.notEqual(ownUrl.code, 0);
    assert.match(ownUrl.stderr, /does not download archives/);

    const badChange = await docker(['import', '-c', 'RUN echo hi', exported, 'nope']);
    assert.equal(badChange.code, 1);
    assert.match(badChange.stderr, /RUN is not a valid change command/);
    assert.equal((await docker(['image', 'inspect', 'nope'])).code, 1, 'nothing was imported');
  });
});
