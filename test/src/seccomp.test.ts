// SPDX-License-Identifier: Apache-2.0
// Seccomp confinement end to end: a real daemon gives busybox containers Debian's default profile (runc under
// conmon), and --security-opt, --privileged and daemon.json's seccomp-profile change it as they do with Docker.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiCall } from './support/api-call.js';
import { EngineDaemon } from './support/engine-daemon.js';
import { startEngineWithImages, type EngineWithImages } from './support/engine-with-images.js';

/**
 * Prints the seccomp mode of PID 1, then asks for personality(ADDR_NO_RANDOMIZE), which no rule of the default
 * profile allows (it gets the profile's default errno, ENOSYS) and nothing else forbids.
 */
const PROBE = ['sh', '-c', 'grep ^Seccomp: /proc/1/status; linux64 -R true && echo allowed || echo denied'];

/** Allows everything but mkdir, which fails with EOPNOTSUPP: a profile nothing else could be mistaken for. */
const CUSTOM_PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 95 }],
};

describe('seccomp', () => {
  let setup: EngineWithImages;
  let customPath: string;

  const run = async (engine: EngineDaemon, args: string[], command = PROBE) => {
    const result = await engine.cli(['run', '--rm', '--network', 'none', ...args, setup.busybox, ...command]);
    assert.equal(result.code, 0, result.stderr);
    return result;
  };

  before(async () => {
    setup = await startEngineWithImages({ packages: ['golang-github-containers-common'] });
    customPath = join(setup.dir, 'no-mkdir.json');
    await writeFile(customPath, JSON.stringify(CUSTOM_PROFILE, null, 2));
  });

  after(() => setup?.stop());

  it("confines a default container with the default profile and says so in info, in Docker's words", async () => {
    const result = await run(setup.engine, []);
    assert.equal(result.stdout, 'Seccomp:\t2\ndenied\n');
    assert.match(result.stderr, /personality\(0x40000\): Function not implemented/);
    const info = JSON.parse((await apiCall(setup.engine.socketPath, 'GET', '/info')).body.toString()) as { SecurityOptions: string[] };
    assert.deepEqual(info.SecurityOptions, ['name=seccomp,profile=builtin']);
    const text = await setup.engine.cli(['info']);
    assert.match(text.stdout, /^ Security Options:\n {2}seccomp\n {3}Profile: builtin$/m);
  });

  it('confines processes exec-ed into the container too', async () => {
    const started = await setup.engine.cli(['run', '-d', '--network', 'none', setup.busybox, 'sleep', '60']);
    assert.equal(started.code, 0, started.stderr);
    const exec = await setup.engine.cli(['exec', started.stdout.trim(), 'grep', '^Seccomp:', '/proc/self/status']);
    assert.equal(exec.stdout, 'Seccomp:\t2\n', exec.stderr);
    await setup.engine.cli(['rm', '-f', started.stdout.trim()]);
  });

  it('runs unconfined with --security-opt seccomp=unconfined and with --privileged', async () => {
    assert.equal((await run(setup.engine, ['--security-opt', 'seccomp=unconfined'])).stdout, 'Seccomp:\t0\nallowed\n');
    assert.equal((await run(setup.engine, ['--privileged'])).stdout, 'Seccomp:\t0\nallowed\n');
    // Docker's order: privileged wins over an explicit profile.
    assert.equal((await run(setup.engine, ['--privileged', '--security-opt', `seccomp=${customPath}`])).stdout, 'Seccomp:\t0\nallowed\n');
  });

  it('applies a profile file given with --security-opt seccomp=<file>, which the CLI reads and sends', async () => {
    const result = await run(setup.engine, ['--security-opt', `seccomp=${customPath}`], ['sh', '-c', `${PROBE[2]}; mkdir /tmp/x || true`]);
    assert.equal(result.stdout, 'Seccomp:\t2\nallowed\n');
    assert.match(result.stderr, /can't create directory '\/tmp\/x': Operation not supported/);
    const create = await setup.engine.cli(['create', '--security-opt', `seccomp=${customPath}`, setup.busybox]);
    assert.equal(create.code, 0, create.stderr);
    const inspect = await setup.engine.cli(['inspect', '-f', '{{json .HostConfig.SecurityOpt}}', create.stdout.trim()]);
    assert.deepEqual(JSON.parse(inspect.stdout), [`seccomp=${JSON.stringify(CUSTOM_PROFILE)}`]);
  });

  it('refuses unknown options and unreadable profiles before creating anything', async () => {
    const unknown = await setup.engine.cli(['create', '--security-opt', 'nonsense=1', setup.busybox]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /invalid --security-opt 2: "nonsense=1"/);
    const missing = await setup.engine.cli(['create', '--security-opt', `seccomp=${join(setup.dir, 'missing.json')}`, setup.busybox]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /opening seccomp profile \(.*missing\.json\) failed/);
    const bad = await apiCall(setup.engine.socketPath, 'POST', '/containers/create', { Image: setup.busybox, HostConfig: { SecurityOpt: ['seccomp={"syscalls":[]}'] } });
    assert.equal(bad.res.statusCode, 400);
    assert.match(bad.body.toString(), /decoding seccomp profile .* failed: defaultAction/);
  });

  it("gives containers daemon.json's seccomp-profile, and the default one with seccomp=builtin", async () => {
    const engine = await EngineDaemon.start({ config: { 'seccomp-profile': customPath } });
    try {
      assert.equal((await engine.cli(['pull', setup.busybox])).code, 0);
      const info = JSON.parse((await apiCall(engine.socketPath, 'GET', '/info')).body.toString()) as { SecurityOptions: string[] };
      assert.deepEqual(info.SecurityOptions, [`name=seccomp,profile=${customPath}`]);
      const custom = await run(engine, [], ['sh', '-c', 'mkdir /tmp/x || true']);
      assert.match(custom.stderr, /Operation not supported/);
      assert.equal((await run(engine, ['--security-opt', 'seccomp=builtin'])).stdout, 'Seccomp:\t2\ndenied\n');
    } finally {
      await engine.stop();
    }
  });
});
