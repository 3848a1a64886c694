// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT, DEFAULT_SOCKET_PATH, type EngineConfig } from '../config/engine-config.js';
import { ContainerArchive } from '../container/container-archive.js';
import { ContainerExporter } from '../container/container-exporter.js';
import { ContainerOperations } from '../container/container-operations.js';
import { ContainerSecurity } from '../container/container-security.js';
import { ContainerService } from '../container/container-service.js';
import { ContainerStatsService } from '../container/container-stats.js';
import { ContainerUpdateService } from '../container/container-update.js';
import { ExecService } from '../container/exec-service.js';
import { HealthMonitor } from '../container/health-monitor.js';
import { ContentStore } from '../content/content-store.js';
import { EventBus } from '../events/event-bus.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { PluginHost } from '../plugin/plugin-host.js';
import type { PluginPackage } from '../plugin/plugin-manifest.js';
import type { PluginStatus } from '../plugin/plugin-status.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { VolumeService } from '../volume/volume-service.js';
import { NetworkService } from '../network/network-service.js';
import { ApiServer } from './api-server.js';
import { AuthService } from './auth-service.js';
import { DiskUsageService } from './disk-usage-service.js';
import { createDaemonContainer } from './daemon-container.js';
import { ImageService } from './image-service.js';
import { PluginLoader } from './plugin-loader.js';
import { authRoutes } from './routes/auth-routes.js';
import { containerArchiveRoutes } from './routes/container-archive-routes.js';
import { containerExportRoutes } from './routes/container-export-routes.js';
import { containerOpsRoutes } from './routes/container-ops-routes.js';
import { containerUpdateRoutes } from './routes/container-update-routes.js';
import { containerRoutes } from './routes/container-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { execRoutes } from './routes/exec-routes.js';
import { attachRoutes } from './routes/attach-routes.js';
import { AttachService } from '../container/attach-service.js';
import { imageRoutes } from './routes/image-routes.js';
import { imageBuildRoutes } from './routes/image-build-routes.js';
import { ImageBuildService } from './image-build-service.js';
import { networkRoutes } from './routes/network-routes.js';
import { pluginRoutes } from './routes/plugin-routes.js';
import { diskUsageRoutes, systemRoutes } from './routes/system-routes.js';
import { volumeRoutes } from './routes/volume-routes.js';
import { SystemService } from './system-service.js';

export interface DaemonOptions {
  socketPath?: string;
  dataRoot?: string;
  execRoot?: string;
  /** Packages that may carry engine plugins (the CLI finds them through oclif). */
  plugins: PluginPackage[];
  /** Finds the packages again for a reload (after `plugins:install`); without it a reload reuses {@link plugins}. */
  discoverPlugins?: () => Promise<PluginPackage[]>;
  log?: (line: string) => void;
}

export interface RunningDaemon {
  config: EngineConfig;
  /** Stops serving the API. Containers keep running: the next daemon picks them up. */
  close(): Promise<void>;
  /** Loads newly installed plugins (what SIGHUP and `POST /tsc-engine/plugins/reload` do). */
  reloadPlugins(): Promise<PluginStatus[]>;
}

/** Starts the daemon: loads config and plugins, reconciles containers with their monitors, then serves the API. */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const config = await loadConfig(options);
  const container = createDaemonContainer(config);
  // Read now, so a bad `seccomp-profile` stops the daemon and a missing default is logged once.
  await container.get(ContainerSecurity).load(log);

  await Promise.all([container.get<ContentStore>(ContentStore).cleanup(), container.get<Snapshotter>(Snapshotter).cleanup()]);
  const discover = options.discoverPlugins ?? (async () => options.plugins);
  const plugins = new PluginLoader(container.get(PluginHost), container.get(RuntimeRegistry), config, discover, log);
  await plugins.load(options.plugins);

  const containers = container.get(ContainerService);
  await containers.restore();
  const health = container.get(HealthMonitor);
  health.watch();

  const server = new ApiServer(
    [
      ...systemRoutes(container.get(SystemService)),
      ...diskUsageRoutes(container.get(DiskUsageService)),
      ...imageRoutes(container.get(ImageService)),
      ...imageBuildRoutes(container.get(ImageBuildService)),
      ...authRoutes(container.get(AuthService)),
      ...containerRoutes(containers),
      ...containerArchiveRoutes(container.get(ContainerArchive)),
      ...containerExportRoutes(container.get(ContainerExporter)),
      ...containerOpsRoutes(container.get(ContainerOperations), container.get(ContainerStatsService)),
      ...containerUpdateRoutes(container.get(ContainerUpdateService)),
      ...execRoutes(container.get(ExecService)),
      ...attachRoutes(containers, container.get(AttachService)),
      ...eventRoutes(container.get(EventBus)),
      ...volumeRoutes(container.get(VolumeService)),
      ...networkRoutes(container.get(NetworkService), containers),
      ...pluginRoutes(plugins),
    ],
    log,
  );
  await server.listen(config.socketPath);
  log(`API listening on ${config.socketPath} (data root ${config.dataRoot})`);
  const close = async (): Promise<void> => {
    health.close();
    await server.close();
    await Promise.all([containers.drain(), container.get(NetworkService).devicesRemoved()]);
  };
  return { config, close, reloadPlugins: () => plugins.reloadPlugins() };
}

/** Flags over `<data-root>/daemon.json` over defaults. */
async function loadConfig(options: DaemonOptions): Promise<EngineConfig> {
  const dataRoot = options.dataRoot ?? DEFAULT_DATA_ROOT;
  const file = join(dataRoot, 'daemon.json');
  let fromFile: Partial<Record<string, unknown>> = {};
  try {
    fromFile = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InvalidArgumentError(`${file}: ${(error as Error).message}`, { hint: 'fix or remove the file' });
    }
  }
  const list = (key: string) => (Array.isArray(fromFile[key]) ? (fromFile[key] as unknown[]).map(String) : []);
  const count = (key: string) => {
    const value = fromFile[key];
    if (value === undefined || (Number.isInteger(value) && (value as number) > 0)) return value as number | undefined;
    throw new InvalidArgumentError(`${file}: "${key}" must be a positive integer, not ${JSON.stringify(value)}`);
  };
  return {
    dataRoot,
    execRoot: options.execRoot ?? (fromFile['exec-root'] as string | undefined) ?? DEFAULT_EXEC_ROOT,
    socketPath: options.socketPath ?? DEFAULT_SOCKET_PATH,
    defaultRuntime: fromFile['default-runtime'] as string | undefined,
    insecureRegistries: list('insecure-registries'),
    registryMirrors: list('registry-mirrors'),
    maxConcurrentDownloads: count('max-concurrent-downloads'),
    init: fromFile.init === true,
    initPath: typeof fromFile['init-path'] === 'string' ? fromFile['init-path'] : undefined,
    seccompProfile: typeof fromFile['seccomp-profile'] === 'string' ? fromFile['seccomp-profile'] : undefined,
    plugins: (fromFile.plugins as EngineConfig['plugins'] | undefined) ?? {},
    network: {
      bridge: fromFile.bridge as string | undefined,
      bip: fromFile.bip as string | undefined,
      dns: Array.isArray(fromFile.dns) ? list('dns') : undefined,
      addressPools: fromFile['default-address-pools'] as { base: string; size: number }[] | undefined,
    },
  };
}
