// SPDX-License-Identifier: Apache-2.0
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineConfig } from '../config/engine-config.js';
import { errorCodeOf } from '../errors/engine-error.js';
import { ContainerSecurity } from './container-security.js';

const config = (seccompProfile?: string): EngineConfig => ({
  dataRoot: '/nonexistent',
  execRoot: '/nonexistent',
  socketPath: '/nonexistent.sock',
  insecureRegistries: [],
  registryMirrors: [],
  plugins: {},
  seccompProfile,
});

/** A host where Debian's profile is not installed. */
class WithoutBuiltin extends ContainerSecurity {
  protected override readonly builtinPath = '/nonexistent/seccomp.json';
}

describe('ContainerSecurity', () => {
  let dir: string;
  let custom: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-seccomp-'));
    custom = join(dir, 'custom.json');
    await writeFile(custom, JSON.stringify({ defaultAction: 'SCMP_ACT_LOG', syscalls: [] }));
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it("gives containers the default profile, none when privileged or unconfined, and an inline one when asked", async () => {
    const security = new ContainerSecurity(config());
    assert.deepEqual(await security.securityOptions(), ['name=seccomp,profile=builtin']);
    assert.equal((await security.specOptions({})).seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal((await security.specOptions({ Privileged: true, SecurityOpt: ['seccomp=builtin'] })).seccomp, undefined);
    assert.deepEqual(await security.specOptions({ SecurityOpt: ['seccomp=unconfined', 'no-new-privileges'] }), { noNewPrivileges: true });
    const inline = await security.specOptions({ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_KILL"}'] });
    assert.equal(inline.seccomp?.defaultAction, 'SCMP_ACT_KILL');
  });

  it("follows daemon.json's seccomp-profile: a file or unconfined, with builtin still at hand", async () => {
    const fromFile = new ContainerSecurity(config(custom));
    assert.deepEqual(await fromFile.securityOptions(), [`name=seccomp,profile=${custom}`]);
    assert.equal((await fromFile.specOptions({})).seccomp?.defaultAction, 'SCMP_ACT_LOG');
    assert.equal((await fromFile.specOptions({ SecurityOpt: ['seccomp=builtin'] })).seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
    const unconfined = new ContainerSecurity(config('unconfined'));
    assert.deepEqual(await unconfined.securityOptions(), ['name=seccomp,profile=unconfined']);
    assert.equal((await unconfined.specOptions({})).seccomp, undefined);
  });

  it('fails the daemon on a configured profile it cannot read', async () => {
    await assert.rejects(new ContainerSecurity(config(join(dir, 'missing.json'))).load(), /opening seccomp profile \(.*missing\.json\) failed/);
  });

  it('logs a missing default profile once and fails only the containers that would use it, saying how to fix it', async () => {
    const security = new WithoutBuiltin(config());
    const lines: string[] = [];
    await security.load((line) => lines.push(line));
    await security.load((line) => lines.push(line));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /seccomp: opening seccomp profile \(\/nonexistent\/seccomp\.json\) failed.*apt-get install golang-github-containers-common/);
    assert.deepEqual(await security.securityOptions(), []);
    const failure = await security.specOptions({}).then(() => undefined, (error: unknown) => error);
    assert.equal(errorCodeOf(failure), 'failed-precondition');
    assert.match(String(failure), /the default profile \/nonexistent\/seccomp\.json is missing: install it with `apt-get install golang-github-containers-common`, or set "seccomp-profile" in daemon\.json/);
    assert.doesNotMatch(String(failure), /no such file or directory/i);
    assert.equal((await security.specOptions({ Privileged: true })).seccomp, undefined);
    assert.equal((await security.specOptions({ SecurityOpt: ['seccomp=unconfined'] })).seccomp, undefined);
  });
});
