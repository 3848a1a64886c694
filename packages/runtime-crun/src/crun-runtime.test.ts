// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Runtime, detectCgroupMode, discardUnappliable, isPluginSkip, ociResources, type OciSpec, type PluginContext } from '@tsc-engine/core';
import { ensureInstalled } from '@tsc-engine/core/testing';
import { Container } from '@tsc-engine/core/shared/inversify';
import initCrun from './crun-module.js';
import { CrunRuntime } from './crun-runtime.js';

const run = promisify(execFile);
const spec = { linux: { namespaces: [], resources: { devices: [{ allow: false, access: 'rwm' }] } } } as unknown as OciSpec;

describe('crun plugin', () => {
  let dir: string;
  const context = (config: Record<string, unknown> = {}): PluginContext => ({
    type: 'tsc-engine.runtime.v1', id: 'crun', rootDir: join(dir, 'root'), stateDir: join(dir, 'state'), config,
  });

  before(async () => {
    ensureInstalled('crun', 'crun');
    dir = await mkdtemp(join(tmpdir(), 'tsc-crun-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('binds a crun Runtime fitted to the detected cgroup layout', async () => {
    const container = new Container();
    container.load(initCrun(context()));
    const runtime = container.get<CrunRuntime>(Runtime);
    assert.ok(runtime instanceof CrunRuntime);
    assert.equal(runtime.cgroupMode, detectCgroupMode());
    await runtime.probe();
    assert.match((await runtime.info()).version, /^crun version /);
  });

  it('runs crun directly and keeps resources on a pure cgroup v2 host', () => {
    const runtime = new CrunRuntime({ path: '/usr/bin/crun', root: '/state', cgroupMode: 'unified' });
    assert.deepEqual(runtime.command(), { path: '/usr/bin/crun', args: ['--root', '/state'] });
    assert.equal(runtime.adaptSpec(spec), spec);
  });

  it('runs crun with cgroup2 over /sys/fs/cgroup and without resources on a hybrid host', async () => {
    const runtime = new CrunRuntime({ path: '/usr/bin/crun', root: '/state', cgroupMode: 'hybrid', unsharePath: '/usr/bin/unshare' });
    const command = runtime.command();
    assert.equal(command.path, '/usr/bin/unshare');
    assert.deepEqual(command.args.slice(-3), ['/usr/bin/crun', '--root', '/state']);
    const adapted = runtime.adaptSpec(spec);
    assert.equal(adapted.linux.resources, undefined);
    assert.ok(spec.linux.resources, 'the original spec is left alone');
    // What crun sees through the wrapper is a cgroup v2 host, while the host's own mounts stay as they were.
    const before = await run('findmnt', ['-n', '-o', 'FSTYPE', '/sys/fs/cgroup']);
    const seen = await run(command.path, [...command.args.slice(0, -3), '/usr/bin/stat', '-f', '-c', '%T', '/sys/fs/cgroup']);
    assert.equal(seen.stdout.trim(), 'cgroup2fs');
    assert.equal((await run('findmnt', ['-n', '-o', 'FSTYPE', '/sys/fs/cgroup'])).stdout, before.stdout);
  });

  it('has the limits it cannot apply on a hybrid host discarded with warnings, and keeps them elsewhere', () => {
    const limits = { Memory: 64 * 2 ** 20, MemorySwap: 128 * 2 ** 20, NanoCpus: 5e8, PidsLimit: 10 };
    const hybrid = new CrunRuntime({ path: '/usr/bin/crun', root: '/state', cgroupMode: 'hybrid', unsharePath: '/usr/bin/unshare' });
    const discarded = discardUnappliable(limits, hybrid);
    assert.deepEqual(discarded.warnings.map((w) => w.replace(/ on this host.*/, '')), [
      'Runtime crun does not support memory limits', 'Runtime crun does not support CPU limits', 'Runtime crun does not support PIDs limit',
    ]);
    assert.deepEqual(ociResources(discarded.resources), {});
    const unified = new CrunRuntime({ path: '/usr/bin/crun', root: '/state', cgroupMode: 'unified' });
    assert.deepEqual(discardUnappliable(limits, unified), { resources: limits, warnings: [] });
  });

  it('skips when crun is missing, or when a hybrid host lacks unshare', async () => {
    const container = new Container();
    container.load(initCrun(context({ path: join(dir, 'no-crun') })));
    await assert.rejects(container.get<Runtime>(Runtime).probe(), (error) => isPluginSkip(error));
    const noUnshare = new CrunRuntime({ path: '/usr/bin/crun', root: '/state', cgroupMode: 'hybrid', unsharePath: undefined });
    await assert.rejects(noUnshare.probe(), (error) => isPluginSkip(error) && /unshare/.test((error as Error).message));
  });
});
