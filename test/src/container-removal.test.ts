// SPDX-License-Identifier: Apache-2.0
// A removal answers once the container is gone from the API, its volumes and network endpoints released; its task
// is deleted, its rootfs unmounted and its directories removed after (ContainerRemovals). What could still meet them
// waits for them: the removal of the image beneath, a daemon stopping; and what a daemon killed mid-way left, the
// next one removes.
import assert from 'node:assert/strict';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

const mountsUnder = async (dir: string): Promise<string[]> =>
  (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => line.split(' ')[4]?.startsWith(dir));
const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

describe('container removal', () => {
  let setup: EngineWithImages;
  let engine: EngineDaemon;
  let busybox: string;

  before(async () => {
    setup = await startEngineWithImages({ packages: ['containernetworking-plugins', 'iptables'] });
    ({ engine, busybox } = setup);
  });

  after(async () => {
    const engineDir = engine?.dir;
    await setup?.stop();
    if (engineDir) assert.deepEqual(await mountsUnder(engineDir), [], 'no mount of the test daemon is left');
  });

  it('frees the name, volumes and network at once, and the image once the rootfs is down', async () => {
    await engine.cliOk(['network', 'create', 'removalnet']);
    await engine.cliOk(['volume', 'create', 'removalvol']);
    const id = (await engine.cliOk(['run', '-d', '--name', 'doomed', '--network', 'removalnet', '-v', 'removalvol:/data', busybox, 'sleep', '300'])).trim();
    await engine.cliOk(['rm', '-f', 'doomed']);
    await engine.cliOk(['volume', 'rm', 'removalvol']);
    await engine.cliOk(['network', 'rm', 'removalnet']);
    const again = (await engine.cliOk(['create', '--name', 'doomed', '--network', 'none', busybox, 'true'])).trim();
    assert.notEqual(again, id);
    await engine.cliOk(['rm', 'doomed']);
    // The image's layers are the lower dirs of both overlays: its removal waits for their unmount.
    await engine.cliOk(['rmi', busybox]);
    assert.deepEqual(await mountsUnder(join(engine.execRoot, 'containers')), []);
    assert.equal(await exists(join(engine.execRoot, 'containers', id)), false);
    await engine.cliOk(['pull', '-q', busybox]);
  });

  it('leaves nothing of a container whose removal a killed daemon left unfinished', async () => {
    // A container never started, its rootfs mounted by `cp` into it; its record gone, as a removal leaves it.
    const id = (await engine.cliOk(['create', '--network', 'none', busybox, 'true'])).trim();
    const file = join(setup.dir, 'copied');
    await writeFile(file, 'into a created container');
    await engine.cliOk(['cp', file, `${id}:/tmp/`]);
    const bundle = join(engine.execRoot, 'containers', id);
    assert.equal((await mountsUnder(bundle)).length, 1, 'the rootfs is mounted');
    await engine.kill();
    await rm(join(engine.dataRoot, 'containers', id), { recursive: true, force: true });
    await engine.launch();
    assert.deepEqual(await mountsUnder(bundle), []);
    assert.equal(await exists(bundle), false);
    assert.equal((await engine.cli(['inspect', id])).code, 1);
  });

  it('deletes the task of a container whose record a killed daemon had removed', async () => {
    const id = (await engine.cliOk(['run', '-d', '--network', 'none', busybox, 'sleep', '300'])).trim();
    const task = join(engine.execRoot, 'supervisor', 'tasks', id);
    assert.equal(await exists(task), true, 'the running container has its task');
    await engine.kill();
    await rm(join(engine.dataRoot, 'containers', id), { recursive: true, force: true });
    await engine.launch();
    assert.equal(await exists(task), false);
    assert.deepEqual(await mountsUnder(join(engine.execRoot, 'containers', id)), []);
    assert.equal((await engine.cli(['inspect', id])).code, 1);
  });
});
