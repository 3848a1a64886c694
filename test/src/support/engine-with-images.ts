// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineDaemon } from './engine-daemon.js';
import { startFixtureRegistry, type FixtureRegistry } from './fixture-registry.js';
import { ensurePackages } from './system-packages.js';

/** A real daemon beside the fixture registry, and a scratch directory: what most end-to-end tests start from. */
export interface EngineWithImages {
  engine: EngineDaemon;
  registry: FixtureRegistry;
  /** `<registry>/fixtures/busybox`, already pulled into `engine` unless `pull: false`. */
  busybox: string;
  /** An empty directory under os.tmpdir() for the test's files (compose projects, bind sources, archives). */
  dir: string;
  /** Stops the daemon (removing its containers), then the registry, and deletes `dir`. */
  stop(): Promise<void>;
}

export interface EngineWithImagesOptions {
  /** Debian packages needed beyond runc and conmon (`containernetworking-plugins`, `iptables`, `tmux`). */
  packages?: string[];
  /** Pull busybox with the engine's CLI (default); `false` for tests that pull it themselves, their way. */
  pull?: boolean;
  /** Passed to EngineDaemon.start (environment, daemon.json settings). */
  daemon?: Parameters<typeof EngineDaemon.start>[0];
}

/** Starts the fixture registry and a daemon together; whatever did start is stopped again if a step fails. */
export async function startEngineWithImages(options: EngineWithImagesOptions = {}): Promise<EngineWithImages> {
  await ensurePackages('runc', 'conmon', ...(options.packages ?? []));
  const [registry, engine, dir] = await Promise.allSettled([
    startFixtureRegistry(),
    EngineDaemon.start(options.daemon),
    mkdtemp(join(tmpdir(), 'tsc-engine-test-')),
  ]);
  const stop = async () => {
    try {
      if (engine.status === 'fulfilled') await engine.value.stop();
    } finally {
      if (registry.status === 'fulfilled') await registry.value.stop();
      if (dir.status === 'fulfilled') await rm(dir.value, { recursive: true, force: true });
    }
  };
  try {
    if (registry.status === 'rejected') throw registry.reason;
    if (engine.status === 'rejected') throw engine.reason;
    if (dir.status === 'rejected') throw dir.reason;
    const ready = { engine: engine.value, registry: registry.value, busybox: `${registry.value.host}/fixtures/busybox`, dir: dir.value, stop };
    if (options.pull !== false) {
      const pull = await ready.engine.cli(['pull', ready.busybox]);
      if (pull.code !== 0) throw new Error(`pull ${ready.busybox} failed with ${pull.code}: ${pull.stderr}`);
    }
    return ready;
  } catch (error) {
    await stop();
    throw error;
  }
}
