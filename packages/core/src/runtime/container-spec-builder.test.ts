// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { buildContainerSpec, containerArgs, mergeEnv } from './container-spec-builder.js';
import { resolveContainerUser } from './container-user.js';
import { DEFAULT_CAPABILITIES, DEFAULT_PATH } from './default-spec.js';
import { resolveInRoot } from './resolve-in-root.js';

describe('container spec builder', () => {
  let dir: string;
  let rootfs: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-spec-'));
    rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'etc'), { recursive: true });
    await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n# comment\nweb:x:33:33::/var/www:/bin/sh\nbroken:x::\n');
    await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nweb:x:33:\nadm:x:4:web,other\nwheel:x:10:web\n');
  });

  after(() => rm(dir, { recursive: true, force: true }));

  describe('containerArgs (Docker entrypoint/cmd rules)', () => {
    const image = { Entrypoint: ['/entry'], Cmd: ['image-cmd'] };
    it('uses the image entrypoint and cmd by default', () => assert.deepEqual(containerArgs(image, {}), ['/entry', 'image-cmd']));
    it('replaces only cmd when the user gives one', () =>
      assert.deepEqual(containerArgs(image, { cmd: ['mine'] }), ['/entry', 'mine']));
    it('drops the image cmd when the user gives an entrypoint', () =>
      assert.deepEqual(containerArgs(image, { entrypoint: ['/bin/sh'] }), ['/bin/sh']));
    it('keeps the user cmd after a user entrypoint', () =>
      assert.deepEqual(containerArgs(image, { entrypoint: ['/bin/sh'], cmd: ['-c', 'x'] }), ['/bin/sh', '-c', 'x']));
    it('clears the entrypoint with --entrypoint "" and keeps the image cmd', () =>
      assert.deepEqual(containerArgs(image, { entrypoint: [] }), ['image-cmd']));
    it('refuses an empty command', () =>
      assert.throws(() => containerArgs({}, {}), (e) => errorCodeOf(e) === 'invalid-argument'));
  });

  it('merges env by name, later lists winning, first position kept', () => {
    assert.deepEqual(mergeEnv(['PATH=/a', 'HOSTNAME=h'], ['PATH=/b', 'X=1'], ['X=2', 'NOVALUE', 'Y=a=b']), [
      'PATH=/b', 'HOSTNAME=h', 'X=2', 'Y=a=b',
    ]);
  });

  describe('resolveContainerUser', () => {
    it('defaults to root', async () => assert.deepEqual(await resolveContainerUser(rootfs, ''), { uid: 0, gid: 0 }));
    it('resolves a name with its primary and supplementary groups', async () =>
      assert.deepEqual(await resolveContainerUser(rootfs, 'web'), { uid: 33, gid: 33, additionalGids: [4, 10] }));
    it('takes a numeric uid known to passwd with its group', async () =>
      assert.deepEqual(await resolveContainerUser(rootfs, '33'), { uid: 33, gid: 33, additionalGids: [4, 10] }));
    it('takes an unknown numeric uid with gid 0', async () =>
      assert.deepEqual(await resolveContainerUser(rootfs, '4242'), { uid: 4242, gid: 0 }));
    it('takes an explicit group by name or number, without supplementary groups', async () => {
      assert.deepEqual(await resolveContainerUser(rootfs, 'web:adm'), { uid: 33, gid: 4 });
      assert.deepEqual(await resolveContainerUser(rootfs, '1000:2000'), { uid: 1000, gid: 2000 });
    });
    it('rejects unknown names', async () => {
      await assert.rejects(resolveContainerUser(rootfs, 'nobody'), /unable to find user nobody/);
      await assert.rejects(resolveContainerUser(rootfs, 'web:nogroup'), /unable to find group nogroup/);
    });
    it('resolves names in an image without /etc/passwd only numerically', async () => {
      const empty = join(dir, 'empty');
      await mkdir(empty, { recursive: true });
      assert.deepEqual(await resolveContainerUser(empty, '5:6'), { uid: 5, gid: 6 });
      await assert.rejects(resolveContainerUser(empty, 'root'), (e) => errorCodeOf(e) === 'invalid-argument');
    });
  });

  describe('resolveInRoot', () => {
    it('keeps symlinks, absolute or relative, inside the root', async () => {
      const root = join(dir, 'links');
      await mkdir(join(root, 'etc'), { recursive: true });
      await symlink('/etc/shadow', join(root, 'etc', 'abs'));
      await symlink('../../../../../etc/hostname', join(root, 'etc', 'rel'));
      await symlink('loop2', join(root, 'loop1'));
      await symlink('loop1', join(root, 'loop2'));
      assert.equal(await resolveInRoot(root, '/etc/abs'), join(root, 'etc', 'shadow'));
      assert.equal(await resolveInRoot(root, '/etc/rel'), join(root, 'etc', 'hostname'));
      assert.equal(await resolveInRoot(root, '/../../etc/passwd'), join(root, 'etc', 'passwd'));
      await assert.rejects(resolveInRoot(root, '/loop1'), /too many levels/);
    });

    it('never reads the host passwd through an image symlink', async () => {
      const evil = join(dir, 'evil');
      await mkdir(join(evil, 'etc'), { recursive: true });
      // Outside the root, one level above it: reachable only by escaping.
      await writeFile(join(dir, 'hostpasswd'), 'root:x:0:0::/:/bin/sh\n');
      await symlink('../../hostpasswd', join(evil, 'etc', 'passwd'));
      await assert.rejects(resolveContainerUser(evil, 'root'), /unable to find user root/);
    });
  });

  it("builds Docker's default spec from image and options", async () => {
    const spec = await buildContainerSpec({
      id: '0123456789abcdef',
      rootfs,
      image: { Env: ['LANG=C'], Cmd: ['sh'], WorkingDir: '/srv', User: 'web' },
      env: ['LANG=en'],
    });
    assert.equal(spec.hostname, '0123456789ab');
    assert.deepEqual(spec.process.env, [`PATH=${DEFAULT_PATH}`, 'HOSTNAME=0123456789ab', 'LANG=en']);
    assert.deepEqual(spec.process.args, ['sh']);
    assert.equal(spec.process.cwd, '/srv');
    assert.deepEqual(spec.process.user, { uid: 33, gid: 33, additionalGids: [4, 10] });
    assert.equal(spec.process.capabilities?.effective.length, 14);
    assert.deepEqual(spec.process.capabilities?.bounding, [...DEFAULT_CAPABILITIES]);
    assert.deepEqual(spec.linux.namespaces.map((n) => n.type).slice(0, 5), ['mount', 'network', 'uts', 'pid', 'ipc']);
    assert.equal(spec.linux.cgroupsPath, '/tsc-engine/0123456789abcdef');
    assert.ok(spec.linux.maskedPaths?.includes('/proc/kcore'));
    assert.ok(spec.linux.readonlyPaths?.includes('/proc/sys'));
    assert.deepEqual(spec.mounts.map((m) => m.destination), [
      '/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm',
    ]);
    assert.equal(spec.process.rlimits, undefined);
    assert.equal(spec.root.path, rootfs);
  });

  it('refuses a relative working directory', async () =>
    assert.rejects(buildContainerSpec({ id: 'x', rootfs, cmd: ['sh'], workingDir: 'rel' }), (e) => errorCodeOf(e) === 'invalid-argument'));
});
