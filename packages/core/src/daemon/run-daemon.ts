// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT, DEFAULT_SOCKET_PATH, type EngineConfig } from '../config/engine-config.js';
import { ContainerService } from '../container/container-service.js';
import { ContentStore } from '../content/content-store.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { PluginHost } from '../plugin/plugin-host.js';
import type { PluginPackage } from '../plugin/plugin-manifest.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { ApiServer } from './api-server.js';
import { createDaemonContainer } from './daemon-container.js';
import { ImageService } from './image-service.js';
import { containerRoutes } from './routes/container-routes.js';
import { imageRoutes } from './routes/image-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { SystemService } from './system-service.js';

export interface DaemonOptions {
  socketPath?: string;
  dataRoot?: string;
  execRoot?: string;
  /** Packages that may carry engine plugins (the CLI finds them through oclif). */
  plugins: PluginPackage[];
  log?: (line: string) => void;
}

export interface RunningDaemon {
  config: EngineConfig;
  /** Stops serving the API. Containers keep running: the next daemon picks them up. */
  close(): Promise<void>;
}

/** Starts the daemon: loads config and plugins, reconciles containers with their monitors, then serves the API. */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const config = await loadConfig(options);
  const container = createDaemonContainer(config);

  await Promise.all([container.get<ContentStore>(ContentStore).cleanup(), container.get<Snapshotter>(Snapshotter).cleanup()]);
  const statuses = await container.get(PluginHost).load(options.plugins);
  for (const s of statuses) log(`plugin ${s.type} ${s.id} (${s.package}@${s.version}): ${s.status}${s.reason ? `: ${s.reason}` : ''}`);
  if (config.defaultRuntime) container.get(RuntimeRegistry).setDefault(config.defaultRuntime);

  const containers = container.get(ContainerService);
  await containers.restore();

  const server = new ApiServer(
    [
      ...systemRoutes(container.get(SystemService)),
      ...imageRoutes(container.get(ImageService)),
      ...containerRoutes(containers),
    ],
    log,
  );
  await server.listen(config.socketPath);
  log(`API listening on ${config.socketPath} (data root ${config.dataRoot})`);
  return { config, close: () => server.close() };
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
  return {
    dataRoot,
    execRoot: options.execRoot ?? (fromFile['exec-root'] as string | undefined) ?? DEFAULT_EXEC_ROOT,
    socketPath: options.socketPath ?? DEFAULT_SOCKET_PATH,
    defaultRuntime: fromFile['default-runtime'] as string | undefined,
    insecureRegistries: list('insecure-registries'),
    registryMirrors: list('registry-mirrors'),
    plugins: (fromFile.plugins as EngineConfig['plugins'] | undefined) ?? {},
  };
}
