// SPDX-License-Identifier: Apache-2.0
// Test support: OCI bundles made from Debian's busybox-static, so supervisor and runtime tests need no image store.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import type { EngineConfig } from '../../config/engine-config.js';
import { buildContainerSpec, type ContainerSpecOptions } from '../../runtime/container-spec-builder.js';
import { findExecutable } from '../../runtime/find-executable.js';
import { OciRuntimeBase } from '../../runtime/oci-runtime-base.js';
import type { OciSpec } from '../../runtime/oci-spec.js';
import type { Runtime } from '../../runtime/runtime.js';

const APPLETS = ['sh', 'echo', 'true', 'false', 'sleep', 'cat', 'id', 'pwd', 'env', 'ls', 'wc', 'printf', 'grep', 'kill'];
/** Test tasks' cgroups go under their own parent, removed by {@link TestHost.cleanup}. */
export const TEST_CGROUP_PARENT = '/tsc-engine-test';

/** runc as the runtime plugin builds it, with its state in a test directory. */
@injectable()
export class TestRuncRuntime extends OciRuntimeBase {
  readonly id = 'runc';
}

/** Installs the Debian packages a test needs when they are missing (tests are never skipped). */
export function ensureInstalled(binary: string, debianPackage: string): void {
  if (findExecutable(binary)) return;
  execFileSync('apt-get', ['install', '-y', '-q', debianPackage], { stdio: 'ignore' });
}

/** A temporary engine root, a runc runtime under it, and busybox bundles to run. */
export class TestHost {
  readonly config: EngineConfig;
  readonly runtime: TestRuncRuntime;
  private bundles = 0;

  private constructor(readonly dir: string) {
    this.config = {
      dataRoot: join(dir, 'data'),
      execRoot: join(dir, 'exec'),
      socketPath: join(dir, 'engine.sock'),
      insecureRegistries: [],
      registryMirrors: [],
      plugins: {},
    };
    this.runtime = new TestRuncRuntime({ path: findExecutable('runc'), root: join(dir, 'runc') });
  }

  static async create(): Promise<TestHost> {
    ensureInstalled('runc', 'runc');
    ensureInstalled('conmon', 'conmon');
    if (!existsSync('/bin/busybox')) execFileSync('apt-get', ['install', '-y', '-q', 'busybox-static'], { stdio: 'ignore' });
    return new TestHost(await mkdtemp(join(tmpdir(), 'tsc-supervisor-')));
  }

  /** A bundle whose spec is built by {@link buildContainerSpec}, optionally adjusted, as `runtime` takes it. */
  async bundle(
    options: Omit<ContainerSpecOptions, 'id' | 'rootfs'> & { id?: string },
    adjust: (spec: OciSpec) => void = () => undefined,
    runtime: Pick<Runtime, 'adaptSpec'> = this.runtime,
  ): Promise<{ id: string; bundle: string; logPath: string }> {
    const id = options.id ?? `t${process.pid}-${++this.bundles}`;
    const bundle = join(this.dir, 'bundles', id);
    const rootfs = join(bundle, 'rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await mkdir(join(rootfs, 'etc'));
    await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    await Promise.all(APPLETS.map((applet) => symlink('busybox', join(rootfs, 'bin', applet))));
    await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n');
    await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n');
    await writeFile(join(rootfs, 'bin', 'not-executable'), '#!/bin/sh\necho no\n');
    await chmod(join(rootfs, 'bin', 'not-executable'), 0o644);
    const spec = await buildContainerSpec({ ...options, id, rootfs, cgroupParent: TEST_CGROUP_PARENT });
    adjust(spec);
    await writeFile(join(bundle, 'config.json'), JSON.stringify(runtime.adaptSpec(spec)));
    return { id, bundle, logPath: join(this.dir, 'logs', id, 'container.log') };
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    const hierarchies = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
    await Promise.all(
      ['', ...hierarchies].map((h) => rmdir(join('/sys/fs/cgroup', h, TEST_CGROUP_PARENT)).catch(() => undefined)),
    );
  }
}
