// SPDX-License-Identifier: Apache-2.0
import type { EngineConfig } from '../config/engine-config.js';
import type { PluginHost } from '../plugin/plugin-host.js';
import type { PluginPackage } from '../plugin/plugin-manifest.js';
import type { PluginStatus } from '../plugin/plugin-status.js';
import type { RuntimeRegistry } from '../runtime/runtime-registry.js';
import type { PluginBackend } from './routes/plugin-routes.js';

/**
 * The daemon's plugin set: discovered (by the CLI, through oclif) and loaded at start, and again on request —
 * `POST /tsc-engine/plugins/reload`, sent by the CLI after `plugins:install`, or SIGHUP — so a newly installed
 * plugin is usable without restarting the daemon. Loaded plugins and their running tasks are left alone (see
 * {@link PluginHost.load}). Reloads run one at a time.
 */
export class PluginLoader implements PluginBackend {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: PluginHost,
    private readonly runtimes: RuntimeRegistry,
    private readonly config: EngineConfig,
    private readonly discover: () => Promise<PluginPackage[]>,
    private readonly log: (line: string) => void,
  ) {}

  /** Loads `packages` (at start) or, without them, what discovery finds now. */
  load(packages?: PluginPackage[]): Promise<PluginStatus[]> {
    const next = this.queue.then(async () => this.loadNow(packages ?? (await this.discover())));
    this.queue = next.catch(() => undefined);
    return next;
  }

  reloadPlugins(): Promise<PluginStatus[]> {
    return this.load();
  }

  private async loadNow(packages: PluginPackage[]): Promise<PluginStatus[]> {
    const statuses = await this.host.load(packages);
    for (const s of statuses) this.log(`plugin ${s.type} ${s.id} (${s.package}@${s.version}): ${s.status}${s.reason ? `: ${s.reason}` : ''}`);
    const wanted = this.config.defaultRuntime;
    if (wanted) {
      // A default runtime whose plugin did not load must not take the engine down: it may be installed later.
      if (this.runtimes.list().some((r) => r.id === wanted)) this.runtimes.setDefault(wanted);
      else this.log(`default-runtime ${wanted} is not loaded: containers need --runtime until it is installed`);
    }
    return statuses;
  }
}
