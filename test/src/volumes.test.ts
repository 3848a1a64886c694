// SPDX-License-Identifier: Apache-2.0
// Volumes, binds and tmpfs mounts end to end: the real CLI against a real daemon running busybox with runc.
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

interface MountPoint {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

describe('volumes, binds and tmpfs mounts', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;
  let hostDir: string;

  before(async () => {
    setup = await startEngineWithImages();
    ({ engine, busybox, dir: hostDir } = setup);
  });

  after(async () => {
    const engineDir = engine?.dir;
    await setup?.stop();
    const leftovers = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => engineDir && line.includes(engineDir));
    assert.deepEqual(leftovers, [], `no mounts of the test daemon are left behind:\n${leftovers.join('\n')}`);
  });

  // Containers here need no network; leaving it out keeps these tests about storage alone, and quicker.
  const isolated = (args: string[]) => (args[0] === 'run' || args[0] === 'create' ? [args[0], '--network', 'none', ...args.slice(1)] : args);
  const cli = (...args: string[]) => engine.cli(isolated(args));
  const ok = async (...args: string[]) => {
    const result = await engine.cli(isolated(args));
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const mountsOf = async (container: string) => JSON.parse(await ok('inspect', '-f', '{{json .Mounts}}', container)) as MountPoint[];
  const volumeNames = async () => (await ok('volume', 'ls', '-q')).split('\n').filter(Boolean);

  it('keeps a named volume\'s data after its container is removed and shows it to the next one', async () => {
    assert.equal(await ok('run', '--name', 'writer', '-v', 'keep:/data', busybox, 'sh', '-c', 'echo kept > /data/file'), '');
    const [mount] = await mountsOf('writer');
    const { Mountpoint } = JSON.parse(await ok('volume', 'inspect', '-f', 'json', 'keep')) as { Mountpoint: string };
    assert.deepEqual(mount, {
      Type: 'volume', Name: 'keep', Source: Mountpoint, Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '',
    });
    assert.equal(Mountpoint, join(engine.dataRoot, 'volumes', 'keep', '_data'));
    await ok('rm', '-v', 'writer');
    assert.ok((await volumeNames()).includes('keep'), 'rm -v keeps named volumes');
    assert.equal(await ok('run', '--rm', '--mount', 'type=volume,source=keep,target=/again', busybox, 'cat', '/again/file'), 'kept\n');
    assert.match(await ok('volume', 'ls'), /^DRIVER\s+VOLUME NAME\nlocal\s+keep\n/);
  });

  it('creates volumes with labels, lists them by filter and inspects them as Docker does', async () => {
    assert.equal(await ok('volume', 'create', '--label', 'team=db', 'labelled'), 'labelled\n');
    assert.equal(await ok('volume', 'create', 'labelled'), 'labelled\n', 'creating an existing volume returns it');
    const [volume] = JSON.parse(await ok('volume', 'inspect', 'labelled')) as Record<string, unknown>[];
    assert.equal(volume.Driver, 'local');
    assert.equal(volume.Scope, 'local');
    assert.deepEqual(volume.Labels, { team: 'db' });
    assert.match(String(volume.CreatedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await ok('volume', 'ls', '-q', '--filter', 'label=team=db'), 'labelled\n');
    const missing = await cli('volume', 'inspect', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /get nope: no such volume/);
    const badName = await cli('volume', 'create', 'no/slash');
    assert.notEqual(badName.code, 0);
    assert.match(badName.stderr, /includes invalid characters for a local volume name/);
    await ok('volume', 'rm', 'labelled');
  });

  it('enforces read-only binds and writes through read-write ones', async () => {
    await writeFile(join(hostDir, 'host.txt'), 'from host\n');
    const readOnly = await cli('run', '--rm', '-v', `${hostDir}:/host:ro`, busybox, 'sh', '-c', 'cat /host/host.txt; echo x > /host/new');
    assert.notEqual(readOnly.code, 0);
    assert.match(readOnly.stdout, /from host/);
    assert.match(readOnly.stderr + readOnly.stdout, /Read-only file system/);
    await assert.rejects(stat(join(hostDir, 'new')));

    await ok('run', '--rm', '--mount', `type=bind,source=${hostDir},target=/host`, busybox, 'sh', '-c', 'echo written > /host/new');
    assert.equal(await readFile(join(hostDir, 'new'), 'utf8'), 'written\n');

    const roMount = await cli('run', '--rm', '--mount', `type=bind,src=${hostDir},dst=/host,readonly`, busybox, 'touch', '/host/x');
    assert.notEqual(roMount.code, 0);
  });

  it('binds a single file with -v, at a path the image lacks and over one it has', async () => {
    await writeFile(join(hostDir, 'app.conf'), 'setting=1\n');
    const file = join(hostDir, 'app.conf');
    const shown = await ok('run', '--rm', '-v', `${file}:/etc/app.conf:ro`, '-v', `${file}:/etc/passwd`, busybox, 'cat', '/etc/app.conf', '/etc/passwd');
    assert.equal(shown, 'setting=1\nsetting=1\n');
  });

  it('creates a missing -v host directory but refuses a missing --mount bind source', async () => {
    const created = join(hostDir, 'made', 'by', 'engine');
    await ok('run', '--rm', '-v', `${created}:/made`, busybox, 'true');
    assert.ok((await stat(created)).isDirectory());
    const refused = await cli('run', '--rm', '--mount', `type=bind,source=${join(hostDir, 'absent')},target=/x`, busybox, 'true');
    assert.equal(refused.code, 125);
    assert.match(refused.stderr, /bind source path does not exist/);
  });

  it('fills a new volume from the image, keeping owners and modes', async () => {
    assert.match(await ok('run', '--rm', '-v', 'etc:/etc', busybox, 'cat', '/etc/passwd'), /^root:x:0:0:/);
    const data = join(engine.dataRoot, 'volumes', 'etc', '_data');
    assert.ok((await readdir(data)).includes('passwd'));

    assert.equal(await ok('run', '--rm', '-v', 'home:/home', busybox, 'stat', '-c', '%u:%g %a', '/home/app'), '1000:1000 755\n');
    const app = await stat(join(engine.dataRoot, 'volumes', 'home', '_data', 'app'));
    assert.deepEqual([app.uid, app.gid], [1000, 1000]);
    assert.equal(await ok('run', '--rm', '-v', 'tmp:/tmp', busybox, 'stat', '-c', '%a', '/tmp'), '1777\n', 'the volume root takes the directory\'s mode');

    // A volume that already holds data is not filled again, and nocopy leaves a new one empty.
    await ok('run', '--rm', '-v', 'filled:/etc', busybox, 'sh', '-c', 'rm -f /etc/* 2>/dev/null; echo mine > /etc/file');
    assert.match(await ok('run', '--rm', '-v', 'filled:/etc', busybox, 'ls', '/etc'), /^file$/m);
    assert.doesNotMatch(await ok('run', '--rm', '-v', 'filled:/etc', busybox, 'ls', '/etc'), /passwd/);
    assert.doesNotMatch(await ok('run', '--rm', '-v', 'empty:/etc:nocopy', busybox, 'ls', '/etc'), /passwd/);
    await ok('volume', 'rm', 'etc', 'home', 'tmp', 'empty', 'filled');
  });

  it('mounts tmpfs with --tmpfs and --mount type=tmpfs', async () => {
    const mounts = await ok(
      'run', '--rm', '--tmpfs', '/scratch:size=1m', '--mount', 'type=tmpfs,target=/fast,tmpfs-size=2m,tmpfs-mode=1770',
      busybox, 'sh', '-c', 'grep -E " /(scratch|fast) " /proc/mounts; stat -c %a /fast',
    );
    assert.match(mounts, /^tmpfs \/scratch tmpfs rw,nosuid,nodev,noexec,\S*size=1024k/m);
    assert.match(mounts, /^tmpfs \/fast tmpfs rw,nosuid,nodev,noexec,\S*size=2048k,mode=1770/m);
    assert.match(mounts, /^1770$/m);
  });

  it('refuses to remove a volume in use, naming the container, also after a daemon restart', async () => {
    const id = (await ok('create', '--name', 'holder', '-v', 'busy:/data', busybox, 'true')).trim();
    const refused = await cli('volume', 'rm', 'busy');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `Error response from daemon: remove busy: volume is in use - [${id}]\n`);
    assert.equal(await ok('volume', 'ls', '-q', '--filter', 'dangling=false'), 'busy\n');

    await engine.kill();
    await engine.launch();
    assert.match((await cli('volume', 'rm', '-f', 'busy')).stderr, /volume is in use - \[[0-9a-f]{64}\]/, 'force does not override use');
    assert.match(await ok('ps', '-a', '--filter', 'volume=busy', '--format', '{{.Names}}'), /holder/);

    await ok('rm', 'holder');
    assert.equal(await ok('volume', 'rm', 'busy'), 'busy\n');
    assert.equal((await cli('volume', 'rm', '-f', 'busy')).code, 0, 'force makes a missing volume no error');
  });

  it('removes anonymous volumes with rm -v and --rm, keeps them with plain rm', async () => {
    const before = new Set(await volumeNames());
    await ok('create', '--name', 'anon', '-v', '/scratch', '--mount', 'type=volume,target=/other', busybox, 'true');
    const mounts = await mountsOf('anon');
    assert.equal(mounts.length, 2);
    for (const m of mounts) {
      assert.equal(m.Type, 'volume');
      assert.match(m.Name!, /^[0-9a-f]{64}$/);
      assert.ok(!before.has(m.Name!));
    }
    const [volume] = JSON.parse(await ok('volume', 'inspect', mounts[0].Name!)) as { Labels: Record<string, string> }[];
    assert.deepEqual(volume.Labels, { 'com.docker.volume.anonymous': '' });
    await ok('rm', '-v', 'anon');
    assert.deepEqual(new Set(await volumeNames()), before);

    await ok('run', '--rm', '-v', '/auto', busybox, 'true');
    assert.deepEqual(new Set(await volumeNames()), before, '--rm removes anonymous volumes');

    await ok('create', '--name', 'kept', '-v', '/kept', busybox, 'true');
    const [{ Name: keptName }] = await mountsOf('kept');
    await ok('rm', 'kept');
    assert.ok((await volumeNames()).includes(keptName!), 'plain rm keeps anonymous volumes');
    await ok('volume', 'rm', keptName!);
  });

  it('prunes unused anonymous volumes, and named ones with --all', async () => {
    await ok('volume', 'create', 'unused-named');
    await ok('create', '--name', 'pinned', '-v', 'pinned-named:/data', '-v', '/pinned-anon', busybox, 'true');
    await ok('create', '--name', 'dropped', '-v', '/dropped', busybox, 'true');
    const [{ Name: droppedName }] = await mountsOf('dropped');
    await ok('rm', 'dropped');

    assert.equal((await cli('volume', 'prune')).stdout.includes('Deleted'), false, 'without --force and no answer, nothing is pruned');
    const anonymous = await ok('volume', 'prune', '--force');
    assert.equal(anonymous, `Deleted Volumes:\n${droppedName}\n\nTotal reclaimed space: 0B\n`);
    assert.ok((await volumeNames()).includes('unused-named'));

    const [, { Name: pinnedAnon }] = await mountsOf('pinned');
    assert.match(await ok('volume', 'prune', '--force', '--all'), /^unused-named$/m);
    assert.deepEqual((await volumeNames()).sort(), ['pinned-named', pinnedAnon!].sort(), 'volumes in use stay');
    await ok('rm', '-v', 'pinned');
    assert.deepEqual(await volumeNames(), ['pinned-named']);
  });

  it('serves the volume API: create 201, a 409 for a volume in use, and prune of API 1.41 taking named volumes', async () => {
    const created = await api('POST', '/v1.41/volumes/create', { Name: 'api-vol', Labels: { a: 'b' } });
    assert.equal(created.status, 201);
    assert.equal((created.body as { Name: string }).Name, 'api-vol');
    await ok('create', '--name', 'api-user', '-v', 'api-vol:/data', busybox, 'true');
    const conflict = await api('DELETE', '/v1.41/volumes/api-vol');
    assert.equal(conflict.status, 409);
    assert.match((conflict.body as { message: string }).message, /^remove api-vol: volume is in use - \[[0-9a-f]{64}\]$/);
    await ok('rm', 'api-user');
    const pruned = await api('POST', '/v1.41/volumes/prune');
    assert.equal(pruned.status, 200);
    assert.ok((pruned.body as { VolumesDeleted: string[] }).VolumesDeleted.includes('api-vol'));
    assert.equal((await api('GET', '/v1.41/volumes/api-vol')).status, 404);
  });

  const api = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { socketPath: engine.socketPath, path, method, headers: payload ? { 'Content-Type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
});
