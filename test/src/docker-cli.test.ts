// SPDX-License-Identifier: Apache-2.0
// The real docker CLI (v28) against a tsc-engine daemon for its non-interactive commands: cp both ways (and a
// hostile archive proven harmless), top, stats, restart, rename, container prune, ps filters and formats, rm -v,
// wait, inspect, and Docker's error shapes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar-stream';
import { dockerCli, type DockerCli } from './support/docker-cli.js';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';
import type { ProcessResult as Result } from './support/run-process.js';

describe('the docker CLI against tsc-engine', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let image: string;
  let work: string;
  let dockerCommand: DockerCli;

  const docker = (...args: string[]): Promise<Result> => dockerCommand(args);
  const ok = (...args: string[]): Promise<string> => dockerCommand.ok(args);
  const putArchive = (container: string, path: string, body: Buffer): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        { socketPath: engine.socketPath, method: 'PUT', path: `/v1.41/containers/${container}/archive?path=${encodeURIComponent(path)}`, headers: { 'Content-Type': 'application/x-tar' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  before(async () => {
    setup = await startEngineWithImages({ pull: false });
    ({ engine, dir: work, busybox: image } = setup);
    dockerCommand = dockerCli(engine, work);
    await ok('pull', image);
  });

  after(() => setup?.stop());

  it('docker cp copies files and directories both ways, running, stopped and never started', async () => {
    const local = join(work, 'cp-src');
    await mkdir(join(local, 'dir', 'sub'), { recursive: true });
    await writeFile(join(local, 'file.txt'), 'hello file\n');
    await writeFile(join(local, 'dir', 'a.txt'), 'a\n');
    await writeFile(join(local, 'dir', 'sub', 'b.txt'), 'b\n');
    await symlink('a.txt', join(local, 'dir', 'link'));

    await ok('run', '-d', '--name', 'cpbox', '--network', 'none', image, 'sleep', '300');
    const roundTrip = async (container: string, tag: string) => {
      await ok('cp', join(local, 'file.txt'), `${container}:/tmp/`);
      await ok('cp', join(local, 'dir'), `${container}:/tmp/copied`);
      const out = join(work, `cp-out-${tag}`);
      await mkdir(out);
      await ok('cp', `${container}:/tmp/file.txt`, join(out, 'file.txt'));
      await ok('cp', `${container}:/tmp/copied`, join(out, 'copied'));
      assert.equal(await readFile(join(out, 'file.txt'), 'utf8'), 'hello file\n');
      assert.equal(await readFile(join(out, 'copied', 'a.txt'), 'utf8'), 'a\n');
      assert.equal(await readFile(join(out, 'copied', 'sub', 'b.txt'), 'utf8'), 'b\n');
      assert.equal(await readlink(join(out, 'copied', 'link')), 'a.txt');
    };
    await roundTrip('cpbox', 'running');
    // The image's own files, as a tar on stdout.
    const passwd = await docker('cp', 'cpbox:/etc/passwd', '-');
    assert.equal(passwd.code, 0, passwd.stderr);
    assert.match(passwd.stdout, /^passwd\0/);
    assert.match(passwd.stdout, /root:x:0:0:/);

    await ok('stop', '-t', '1', 'cpbox');
    await roundTrip('cpbox', 'stopped');

    await ok('create', '--name', 'fresh', '--network', 'none', image, 'cat', '/tmp/file.txt');
    await roundTrip('fresh', 'created');
    await ok('start', 'fresh');
    assert.equal((await ok('wait', 'fresh')).trim(), '0');
    assert.equal(await ok('logs', 'fresh'), 'hello file\n', 'the started container sees the file copied in before');

    const missing = await docker('cp', 'cpbox:/no/such/file', join(work, 'nothing'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Could not find the file \/no\/such\/file in container cpbox/);
  });

  it("docker cp writes into a bind mount's source, running or stopped, and nowhere else on the host", async () => {
    const bind = join(work, 'bind');
    await mkdir(bind);
    const file = join(work, 'for-bind.txt');
    await writeFile(file, 'in the bind\n');
    await ok('run', '-d', '--name', 'bound', '--network', 'none', '-v', `${bind}:/data`, image, 'sleep', '300');
    await ok('cp', file, 'bound:/data/running.txt');
    assert.equal(await readFile(join(bind, 'running.txt'), 'utf8'), 'in the bind\n');
    await ok('stop', '-t', '1', 'bound');
    await ok('cp', file, 'bound:/data/stopped.txt');
    assert.equal(await readFile(join(bind, 'stopped.txt'), 'utf8'), 'in the bind\n');
    // A symlink inside the bind that points at / is followed inside the container's tree, never the host's.
    await symlink('/', join(bind, 'root-link'));
    await ok('cp', file, `bound:/data/root-link/tmp/via-bind-${basename(work)}`);
    assert.equal(existsSync(join('/tmp', `via-bind-${basename(work)}`)), false);
    assert.equal((await docker('cp', `bound:/tmp/via-bind-${basename(work)}`, '-')).code, 0);
    await ok('rm', 'bound');
  });

  it('PUT archive confines hostile archives to the container', async () => {
    const marker = `tsc-hostile-${randomBytes(4).toString('hex')}`;
    const pack = tar.pack();
    pack.entry({ name: 'escape', type: 'symlink', linkname: '/tmp' });
    pack.entry({ name: `escape/${marker}-via-symlink` }, 'through a symlink\n');
    pack.entry({ name: `/tmp/${marker}-absolute` }, 'absolute name\n');
    pack.entry({ name: 'up', type: 'symlink', linkname: '../../../../../../../../tmp' });
    pack.entry({ name: `up/${marker}-via-dotdot-symlink` }, 'through ..\n');
    pack.entry({ name: 'hard', type: 'link', linkname: '/etc/passwd' });
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
    await ok('run', '-d', '--name', 'target', '--network', 'none', image, 'sleep', '300');
    const put = await putArchive('target', '/', Buffer.concat(chunks));
    assert.equal(put.status, 200, put.body);
    for (const name of [`${marker}-via-symlink`, `${marker}-absolute`, `${marker}-via-dotdot-symlink`]) {
      assert.equal(existsSync(join('/tmp', name)), false, `${name} escaped to the host`);
      const inside = await docker('cp', `target:/tmp/${name}`, '-');
      assert.equal(inside.code, 0, `${name} is in the container's /tmp: ${inside.stderr}`);
    }
    // The hardlink names the container's /etc/passwd, not the host's.
    const hard = await docker('cp', 'target:/hard', '-');
    assert.match(hard.stdout, /root:x:0:0:/);

    const dotdot = tar.pack();
    dotdot.entry({ name: `../../../../tmp/${marker}-dotdot` }, 'climbing\n');
    dotdot.finalize();
    const climbing: Buffer[] = [];
    for await (const chunk of dotdot as AsyncIterable<Buffer>) climbing.push(chunk);
    const refused = await putArchive('target', '/etc', Buffer.concat(climbing));
    assert.equal(refused.status, 400, refused.body);
    assert.match(refused.body, /is outside of/);
    assert.equal(existsSync(join('/tmp', `${marker}-dotdot`)), false);

    // A destination that is a symlink out of the container is resolved inside it.
    const linkOut = tar.pack();
    linkOut.entry({ name: 'outside', type: 'symlink', linkname: '/../../../tmp' });
    linkOut.finalize();
    const linkChunks: Buffer[] = [];
    for await (const chunk of linkOut as AsyncIterable<Buffer>) linkChunks.push(chunk);
    assert.equal((await putArchive('target', '/', Buffer.concat(linkChunks))).status, 200);
    const file = join(work, `${marker}-dest`);
    await writeFile(file, 'into a symlinked destination\n');
    await ok('cp', file, 'target:/outside/');
    assert.equal(existsSync(join('/tmp', `${marker}-dest`)), false);
    assert.equal((await docker('cp', `target:/tmp/${marker}-dest`, '-')).code, 0);
    await ok('rm', '-f', 'target');
  });

  it('docker top lists the processes like ps -ef', async () => {
    await ok('run', '-d', '--name', 'topbox', image, 'sh', '-c', 'sleep 301 & sleep 302');
    // Right after the start the shell may not have replaced itself by `sleep 302` yet.
    let out = await ok('top', 'topbox');
    for (let i = 0; i < 50 && !/ sleep 302\n/.test(`${out}\n`); i++) out = await ok('top', 'topbox');
    const [header, ...rows] = out.trim().split('\n');
    assert.match(header, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    // busybox sh runs its last command in its own place: `sleep 302` is the init, `sleep 301` its child.
    const init = rows.find((r) => / sleep 302$/.test(r));
    assert.match(init ?? '', /^root\s+(\d+)\s+\d+\s+\d+\s+\d\d:\d\d\s+\?\s+\d\d:\d\d:\d\d\s+sleep 302$/, out);
    const initPid = init!.split(/\s+/)[1];
    assert.ok(rows.some((r) => new RegExp(`^root\\s+\\d+\\s+${initPid}\\s+.*\\ssleep 301$`).test(r)), out);
    const custom = await ok('top', 'topbox', '-o', 'pid,comm');
    assert.match(custom, /^\s*PID\s+COMMAND\n/);
    assert.match(custom, /sleep/);
  });

  it('docker stats --no-stream prints sane numbers', async () => {
    const out = await ok('stats', '--no-stream', 'topbox');
    const [header, row] = out.trim().split('\n');
    assert.match(header, /CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS/);
    assert.match(row, /^[0-9a-f]{12}\s+topbox\s+\d+\.\d\d%\s+\d+(\.\d+)?[KM]iB \/ \d+(\.\d+)?[MG]iB\s+\d+\.\d\d%\s+\S+ \/ \S+\s+\S+ \/ \S+\s+2$/, row);
    const formatted = await ok('stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}} {{.NetIO}}', 'topbox');
    assert.match(formatted, /^topbox 2 \d+(\.\d+)?k?B \/ \d+(\.\d+)?k?B\n$/);
  });

  it('docker restart stops and starts again', async () => {
    const before = (await ok('inspect', '--format', '{{.State.StartedAt}} {{.State.Pid}}', 'topbox')).trim();
    assert.equal((await ok('restart', '-t', '1', 'topbox')).trim(), 'topbox');
    const after = (await ok('inspect', '--format', '{{.State.Status}} {{.State.StartedAt}} {{.State.Pid}} {{.RestartCount}}', 'topbox')).trim();
    const [status, startedAt, pid] = after.split(' ');
    assert.equal(status, 'running');
    assert.notEqual(`${startedAt} ${pid}`, before);
    assert.match(await ok('top', 'topbox'), /sleep 301/);
    await ok('rm', '-f', 'topbox');
  });

  it('docker rename, ps --filter and --format, wait, rm -v, inspect', async () => {
    assert.equal((await docker('run', '--name', 'exit3', '--label', 'kind=test', '--network', 'none', image, 'sh', '-c', 'exit 3')).code, 3);
    await ok('run', '--name', 'withvol', '-v', '/data', '--network', 'none', image, 'true');
    await ok('run', '-d', '--name', 'runner', '--label', 'kind=other', image, 'sleep', '300');
    await ok('rename', 'exit3', 'three');
    const names = async (...filters: string[]) =>
      (await ok('ps', '-a', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Names}}')).trim().split('\n').filter(Boolean).sort();
    assert.deepEqual(await names('name=three'), ['three']);
    assert.deepEqual(await names('name=exit3'), []);
    assert.deepEqual(await names('status=exited'), ['cpbox', 'fresh', 'three', 'withvol']);
    assert.deepEqual(await names('status=running'), ['runner']);
    assert.deepEqual(await names('exited=3'), ['three']);
    assert.deepEqual(await names('label=kind'), ['runner', 'three']);
    assert.deepEqual(await names('label=kind=test'), ['three']);
    assert.deepEqual(await names('ancestor=' + image, 'status=running'), ['runner']);
    assert.deepEqual(await names('network=none', 'label=kind'), ['three']);
    const runnerId = (await ok('inspect', '--format', '{{.Id}}', 'runner')).trim();
    assert.deepEqual(await names(`id=${runnerId.slice(0, 12)}`), ['runner']);
    const volume = (await ok('inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', 'withvol')).trim();
    assert.match(volume, /^[0-9a-f]{64}$/);
    assert.deepEqual(await names(`volume=${volume}`), ['withvol']);
    assert.match(await ok('ps', '-a', '--filter', 'name=three', '--format', '{{.ID}} {{.Image}} {{.Status}} {{.Labels}}'), new RegExp(`^[0-9a-f]{12} ${image} Exited \\(3\\) .* ago kind=test\\n$`));
    assert.match(await ok('ps', '--format', 'table {{.Names}}\t{{.Command}}'), /^NAMES\s+COMMAND\nrunner\s+"sleep 300"\n$/);

    assert.equal((await ok('wait', 'three')).trim(), '3');
    const inspect = JSON.parse(await ok('inspect', 'three')) as Array<{ Name: string; State: { Status: string; ExitCode: number }; Config: { Labels: Record<string, string> } }>;
    assert.equal(inspect[0].Name, '/three');
    assert.equal(inspect[0].State.Status, 'exited');
    assert.equal(inspect[0].State.ExitCode, 3);
    assert.equal(inspect[0].Config.Labels.kind, 'test');

    const conflict = await docker('rename', 'three', 'runner');
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^Error response from daemon: Conflict\. The container name "\/runner" is already in use/);

    assert.match(await ok('volume', 'ls', '-q'), new RegExp(volume));
    assert.equal((await ok('rm', '-v', 'withvol')).trim(), 'withvol');
    assert.doesNotMatch(await ok('volume', 'ls', '-q'), new RegExp(volume));
    await ok('rm', '-f', 'runner');
  });

  it('docker container prune removes stopped containers, honouring filters', async () => {
    await ok('run', '--name', 'keep', '--label', 'prune=no', '--network', 'none', image, 'true');
    await ok('run', '--name', 'drop', '--label', 'prune=yes', '--network', 'none', image, 'sh', '-c', 'echo data > /written');
    const dropId = (await ok('inspect', '--format', '{{.Id}}', 'drop')).trim();
    const pruned = await ok('container', 'prune', '-f', '--filter', 'label=prune=yes');
    assert.match(pruned, new RegExp(`^Deleted Containers:\\n${dropId}\\n\\nTotal reclaimed space: \\d+(\\.\\d+)?k?B\\n$`));
    assert.deepEqual((await ok('ps', '-a', '--format', '{{.Names}}')).trim().split('\n').sort(), ['cpbox', 'fresh', 'keep', 'three']);
    await ok('run', '-d', '--name', 'alive', '--network', 'none', image, 'sleep', '300');
    const all = await ok('container', 'prune', '-f');
    assert.match(all, /^Deleted Containers:\n([0-9a-f]{64}\n){4}\nTotal reclaimed space: /);
    assert.equal((await ok('ps', '-a', '--format', '{{.Names}}')).trim(), 'alive');
    await ok('rm', '-f', 'alive');
  });

  it("shows the daemon's errors as Docker does, exiting 1", async () => {
    for (const args of [['stop', 'nosuch'], ['top', 'nosuch'], ['rename', 'nosuch', 'other'], ['restart', 'nosuch'], ['stats', '--no-stream', 'nosuch'], ['cp', 'nosuch:/etc', '-'], ['rm', 'nosuch'], ['wait', 'nosuch']]) {
      const result = await docker(...args);
      assert.equal(result.code, 1, `docker ${args.join(' ')}`);
      assert.match(result.stderr, /^Error response from daemon: No such container: nosuch/m, `docker ${args.join(' ')}: ${result.stderr}`);
    }
    const inspect = await docker('inspect', 'nosuch');
    assert.equal(inspect.code, 1);
    assert.match(inspect.stderr, /Error: No such object: nosuch/);
  });

  it('tsc-engine cp, top, stats --no-stream, restart, rename and container prune do the same', async () => {
    const tsc = (...args: string[]): Promise<string> => engine.cliOk(args);
    const local = join(work, 'tsc-cp');
    await mkdir(join(local, 'tree', 'sub'), { recursive: true });
    await writeFile(join(local, 'tree', 'sub', 'f.txt'), 'from tsc-engine\n');
    await tsc('run', '-d', '--name', 'own', '--network', 'none', image, 'sleep', '300');
    await tsc('cp', join(local, 'tree'), 'own:/tmp/');
    await tsc('cp', join(local, 'tree', 'sub', 'f.txt'), 'own:/tmp/renamed.txt');
    await tsc('cp', 'own:/tmp/tree', join(local, 'back'));
    await tsc('cp', 'own:/tmp/renamed.txt', local);
    assert.equal(await readFile(join(local, 'back', 'sub', 'f.txt'), 'utf8'), 'from tsc-engine\n');
    assert.equal(await readFile(join(local, 'renamed.txt'), 'utf8'), 'from tsc-engine\n');
    // docker sees what tsc-engine copied, and the other way round.
    assert.equal((await docker('cp', 'own:/tmp/renamed.txt', '-')).code, 0);

    assert.match(await tsc('top', 'own'), /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD\nroot\s+\d+\s+\d+\s+\d+\s+\S+\s+\?\s+\S+\s+sleep 300\n$/);
    assert.match(await tsc('stats', '--no-stream', 'own'), /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS\n[0-9a-f]{12}\s+own\s+\d+\.\d\d%\s+\S+iB \/ \S+iB\s+\d+\.\d\d%\s+0B \/ 0B\s+\S+ \/ \S+\s+1\n$/);
    const pid = (await ok('inspect', '--format', '{{.State.Pid}}', 'own')).trim();
    assert.equal(await tsc('restart', '-t', '1', 'own'), 'own\n');
    assert.notEqual((await ok('inspect', '--format', '{{.State.Pid}}', 'own')).trim(), pid);
    await tsc('rename', 'own', 'mine');
    assert.equal((await ok('ps', '--format', '{{.Names}}')).trim(), 'mine');
    const taken = await engine.cli(['rename', 'mine', 'mine']);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /^Error response from daemon: Renaming a container with the same name as its current name/);
    await tsc('stop', '-t', '1', 'mine');
    assert.match(await tsc('container', 'prune', '-f'), /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: /);
    assert.equal((await ok('ps', '-a', '-q')).trim(), '');
  });
});
