// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorCodeOf } from '../errors/engine-error.js';
import { buildContainerSpec } from './container-spec-builder.js';
import { CONTAINER_INIT_PATH, initBinaryFor } from './init-process.js';

describe('init process (--init)', () => {
  let dir: string;
  let bin: string;
  let rootfs: string;

  const executable = async (path: string) => {
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, 0o755);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-init-'));
    bin = join(dir, 'bin');
    rootfs = join(dir, 'rootfs');
    await mkdir(bin);
    await mkdir(rootfs);
    await executable(join(bin, 'tini-static'));
    await writeFile(join(bin, 'not-executable'), '');
  });

  after(() => rm(dir, { recursive: true, force: true }));

  describe('initBinaryFor', () => {
    it('gives no init unless the container or the daemon asks for one', () => {
      assert.equal(initBinaryFor(undefined, {}, bin), undefined);
      assert.equal(initBinaryFor(null, { init: false }, bin), undefined);
      assert.equal(initBinaryFor(false, { init: true }, bin), undefined, "the container's Init=false beats the daemon default");
    });

    it("uses the daemon's init default when the container does not say", () =>
      assert.equal(initBinaryFor(undefined, { init: true }, bin), join(bin, 'tini-static')));

    it('prefers docker-init over tini-static in PATH', async () => {
      const other = join(dir, 'other');
      await mkdir(other);
      await executable(join(other, 'docker-init'));
      assert.equal(initBinaryFor(true, {}, `${bin}:${other}`), join(other, 'docker-init'));
    });

    it('takes init-path as given, absolute or looked up in PATH', () => {
      assert.equal(initBinaryFor(true, { initPath: join(bin, 'tini-static') }, '/nowhere'), join(bin, 'tini-static'));
      assert.equal(initBinaryFor(true, { initPath: 'tini-static' }, bin), join(bin, 'tini-static'));
    });

    it('fails naming a missing or unusable init-path, and says how to fix it', () => {
      for (const initPath of [join(dir, 'missing-tini'), join(bin, 'not-executable')]) {
        assert.throws(
          () => initBinaryFor(true, { initPath }, bin),
          (error: Error) =>
            errorCodeOf(error) === 'failed-precondition' &&
            error.message.includes(`"${initPath}"`) &&
            /install tini/.test(error.message) &&
            /init-path/.test(error.message),
        );
      }
    });

    it('fails saying what it looked for when no default init is in PATH', () =>
      assert.throws(
        () => initBinaryFor(true, {}, join(dir, 'empty')),
        (error: Error) =>
          errorCodeOf(error) === 'failed-precondition' && /docker-init, tini-static/.test(error.message) && /install tini/.test(error.message),
      ));
  });

  describe('buildContainerSpec with init', () => {
    const options = { id: 'c'.repeat(64), image: { Entrypoint: ['/entry'], Cmd: ['arg'] } };

    it('runs the command as the child of the init, bound read-only at /sbin/docker-init', async () => {
      const spec = await buildContainerSpec({ ...options, rootfs, init: '/usr/bin/tini-static' });
      assert.deepEqual(spec.process.args, [CONTAINER_INIT_PATH, '--', '/entry', 'arg']);
      assert.equal(CONTAINER_INIT_PATH, '/sbin/docker-init');
      assert.deepEqual(spec.mounts.at(-1), { destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/tini-static', options: ['bind', 'ro'] });
    });

    it('leaves the spec alone without one', async () => {
      const spec = await buildContainerSpec({ ...options, rootfs });
      assert.deepEqual(spec.process.args, ['/entry', 'arg']);
      assert.ok(!spec.mounts.some((mount) => mount.destination === CONTAINER_INIT_PATH));
    });

    it('keeps user mounts and adds the init after them, so no mount can hide it', async () => {
      const mounts = [{ destination: '/sbin', type: 'tmpfs', source: 'tmpfs' }];
      const spec = await buildContainerSpec({ ...options, rootfs, mounts, init: '/usr/bin/tini-static' });
      const destinations = spec.mounts.map((mount) => mount.destination);
      assert.ok(destinations.indexOf('/sbin') < destinations.indexOf(CONTAINER_INIT_PATH));
    });
  });
});
