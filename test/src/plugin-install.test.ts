// SPDX-License-Identifier: Apache-2.0
// Installing engine plugins as a user does: `tsc-engine plugins install runtime-crun` from a real npm registry
// (verdaccio on loopback) into a fresh plugin directory, a third-party plugin and a broken one from tarballs, all
// picked up by a running daemon without a restart. Containers run with `--network none`: this is about runtimes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EngineDaemon } from './support/engine-daemon.js';
import { REPO_ROOT, startFixtureRegistry, type FixtureRegistry } from './support/fixture-registry.js';
import { startNpmRegistry, type NpmRegistry } from './support/npm-registry.js';
import { ensurePackages } from './support/system-packages.js';

const run = promisify(execFile);

interface PluginRow {
  type: string;
  id: string;
  package: string;
  status: string;
  reason?: string;
}

describe('engine plugins installed with `tsc-engine plugins install`', () => {
  let npm: NpmRegistry;
  let registry: FixtureRegistry;
  let engine: EngineDaemon;
  let dir: string;
  let busybox: string;

  /** `npm pack` of a package directory into the test's directory; returns the tarball's path. */
  const pack = async (packageDir: string): Promise<string> => {
    const { stdout } = await run('npm', ['pack', packageDir, '--pack-destination', dir, '--silent'], { env: { ...process.env, ...npm.env } });
    return join(dir, stdout.trim().split('\n').at(-1)!);
  };
  const cli = async (...args: string[]) => {
    const result = await engine.cli(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const enginePlugins = async (): Promise<PluginRow[]> => JSON.parse(await cli('system', 'plugins', '--json')) as PluginRow[];

  before(async () => {
    await ensurePackages('runc', 'crun', 'conmon');
    dir = await mkdtemp(join(tmpdir(), 'tsc-engine-plugins-'));
    [npm, registry] = await Promise.all([startNpmRegistry(), startFixtureRegistry()]);
    // crun's package needs core (a peer dependency) from the same registry, as it would on npm.
    await npm.publish(join(REPO_ROOT, 'packages/core'));
    await npm.publish(join(REPO_ROOT, 'packages/runtime-crun'));
    engine = await EngineDaemon.start({ env: { ...npm.env, TSC_ENGINE_DATA_DIR: join(dir, 'plugins') } });
    busybox = `${registry.host}/fixtures/busybox`;
    await cli('pull', busybox);
  });

  after(async () => {
    await engine?.stop();
    await Promise.all([npm?.stop(), registry?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs runtime-crun by its short name and runs a container with it, leaving running containers alone', async () => {
    const before = (await cli('run', '--network', 'none', '-d', busybox, 'sleep', '300')).trim();
    assert.ok(!(await enginePlugins()).some((p) => p.id === 'crun'));

    await cli('plugins', 'install', 'runtime-crun');
    assert.match(await cli('plugins'), /runtime-crun 0\.1\.0/);
    const crun = (await enginePlugins()).find((p) => p.id === 'crun');
    assert.deepEqual([crun?.type, crun?.package, crun?.status], ['tsc-engine.runtime.v1', '@tsc-engine/plugin-runtime-crun', 'ok']);

    const result = await engine.cli(['run', '--network', 'none', '--rm', '--runtime', 'crun', busybox, 'sh', '-c', 'echo hello from crun; exit 4']);
    assert.equal(result.stdout, 'hello from crun\n', result.stderr);
    assert.equal(result.code, 4);
    const detached = (await cli('run', '--network', 'none', '-d', '--runtime', 'crun', busybox, 'sleep', '300')).trim();
    assert.equal((await cli('inspect', '-f', '{{.HostConfig.Runtime}} {{.State.Status}}', detached)).trim(), 'crun running');
    assert.equal((await cli('inspect', '-f', '{{.State.Status}}', before)).trim(), 'running', 'installing did not disturb a running container');
    await cli('rm', '-f', detached, before);

    const info = JSON.parse(await cli('info', '--format', 'json')) as { Runtimes: Record<string, { version?: string; features?: unknown }> };
    assert.match(info.Runtimes.crun?.version ?? '', /^crun version \d/);
    assert.match(info.Runtimes.runc?.version ?? '', /^runc version \d/);
    assert.equal(typeof info.Runtimes.runc?.features, 'object');
    const text = await cli('info');
    assert.match(text, /Runtimes: crun runc/);
    assert.match(text, /^ {2}crun: crun version .*\n {3}Features: /m);
    assert.match(text, /^ {2}runc: runc version .*\n {3}Features: OCI 1\.0\.0 to /m);
  });

  it('installs a third-party runtime plugin from a tarball, uninstalls it, and links it', async () => {
    const example = join(REPO_ROOT, 'examples/runtime-plugin');
    await cli('plugins', 'install', `file:${await pack(example)}`);
    assert.equal((await enginePlugins()).find((p) => p.id === 'nice-runc')?.status, 'ok');
    // The 19th field of /proc/self/stat is the process's nice value.
    const nice = await cli('run', '--network', 'none', '--rm', '--runtime', 'nice-runc', busybox, 'sh', '-c', 'cut -d" " -f19 /proc/self/stat');
    assert.equal(nice, '10\n');

    await cli('plugins', 'uninstall', '@acme/tsc-engine-plugin-runtime-nice-runc');
    assert.doesNotMatch(await cli('plugins'), /nice-runc/);
    await cli('plugins', 'link', example);
    assert.match(await cli('plugins'), /@acme\/tsc-engine-plugin-runtime-nice-runc 1\.0\.0 \(link\)/);
    // `plugins link` fires no hook: `system plugins --reload` has the daemon look again.
    const linked = (JSON.parse(await cli('system', 'plugins', '--reload', '--json')) as PluginRow[]).find((p) => p.id === 'nice-runc');
    assert.deepEqual([linked?.status, linked?.reason], ['ok', undefined]);
    await cli('plugins', 'unlink', example);
  });

  it('lists a plugin that throws on load as error with its message, and containers still run', async () => {
    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'package.json'), JSON.stringify({
      name: 'tsc-engine-plugin-broken',
      version: '1.0.0',
      type: 'module',
      oclif: {},
      'tsc-engine': { apiVersion: 1, plugins: [{ type: 'tsc-engine.runtime.v1', id: 'broken', module: './broken.js' }] },
    }));
    await writeFile(join(broken, 'broken.js'), "throw new Error('broken on purpose: this plugin fails as it loads');\n");
    const install = await engine.cli(['plugins', 'install', `file:${await pack(broken)}`]);
    assert.equal(install.code, 0, install.stderr);
    // oclif wraps warnings to the terminal width behind ` ›   ` markers.
    assert.match(install.stderr.replace(/\s*›\s+/g, ' '), /engine plugin tsc-engine\.runtime\.v1 broken \(tsc-engine-plugin-broken@1\.0\.0\): error: broken on purpose/);

    const row = (await enginePlugins()).find((p) => p.id === 'broken');
    assert.deepEqual([row?.status, row?.reason], ['error', 'broken on purpose: this plugin fails as it loads']);
    assert.match(await cli('system', 'plugins'), /tsc-engine\.runtime\.v1\s+broken\s+tsc-engine-plugin-broken\s+1\.0\.0\s+error\s+broken on purpose/);
    assert.equal(await cli('run', '--network', 'none', '--rm', busybox, 'echo', 'still running'), 'still running\n');
    assert.equal(await cli('run', '--network', 'none', '--rm', '--runtime', 'crun', busybox, 'echo', 'crun too'), 'crun too\n');
  });
});
