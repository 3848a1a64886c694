// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { Container } from 'inversify';
import { EngineConfig } from '../config/engine-config.js';
import { ContainerArchive } from '../container/container-archive.js';
import { ContainerExporter } from '../container/container-exporter.js';
import { ContainerOperations } from '../container/container-operations.js';
import { ContainerSecurity } from '../container/container-security.js';
import { ContainerService } from '../container/container-service.js';
import { ContainerStatsService } from '../container/container-stats.js';
import { ContainerUpdateService } from '../container/container-update.js';
import { ContainerStore } from '../container/container-store.js';
import { ExecService } from '../container/exec-service.js';
import { AttachService } from '../container/attach-service.js';
import { HealthMonitor } from '../container/health-monitor.js';
import { ContentStore } from '../content/content-store.js';
import { FileContentStore } from '../content/file-content-store.js';
import { EventBus } from '../events/event-bus.js';
import { InMemoryEventBus } from '../events/in-memory-event-bus.js';
import { FileImageStore } from '../image/file-image-store.js';
import { ImagePuller } from '../image/image-puller.js';
import { ImagePusher } from '../image/image-pusher.js';
import { ImageTagger } from '../image/image-tagger.js';
import { ImageRemover } from '../image/image-remover.js';
import { ImageEventLogger } from '../image/image-event-logger.js';
import { ImageLoader } from '../image/image-loader.js';
import { ImageHistoryReader } from '../image/image-history.js';
import { ImageImporter } from '../image/image-importer.js';
import { ImageWriter } from '../image/image-writer.js';
import { ImageBuilder } from '../build/image-builder.js';
import { ContainerCommitter } from '../container/container-committer.js';
import { ImageBuildService } from './image-build-service.js';
import { ImagePruner } from '../image/image-pruner.js';
import { ImageSaver } from '../image/image-saver.js';
import { ImageStore } from '../image/image-store.js';
import { ImageUsage } from '../image/image-usage.js';
import { PluginHost, PluginParentContainer } from '../plugin/plugin-host.js';
import { RegistryRateLimits } from '../registry/registry-rate-limits.js';
import { RegistryResolver } from '../registry/registry-resolver.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { OverlaySnapshotter } from '../snapshot/overlay-snapshotter.js';
import { Snapshotter } from '../snapshot/snapshotter.js';
import { ConmonSupervisor } from '../supervisor/conmon-supervisor.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { ContainerMounts } from '../volume/container-mounts.js';
import { VolumeService } from '../volume/volume-service.js';
import { CniBridgeDriver } from '../network/cni-bridge-driver.js';
import { NetworkDriver } from '../network/network-driver.js';
import { NetworkService } from '../network/network-service.js';
import { AuthService } from './auth-service.js';
import { DiskUsageService } from './disk-usage-service.js';
import { ImageService } from './image-service.js';
import { SystemService } from './system-service.js';

/**
 * The daemon's composition root: every core role bound to its default implementation. Embedders and tests
 * `rebind` a token to swap one part; plugins add theirs in child containers through the {@link PluginHost}.
 */
export function createDaemonContainer(config: EngineConfig): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(EngineConfig).toConstantValue(config);
  container.bind(PluginParentContainer).toConstantValue(container);

  container.bind(ContentStore).toConstantValue(new FileContentStore(join(config.dataRoot, 'content')));
  container.bind(Snapshotter).toConstantValue(OverlaySnapshotter.fromConfig(config));
  container
    .bind(ImageStore)
    .toDynamicValue((context) => new FileImageStore(join(config.dataRoot, 'images'), context.get<ContentStore>(ContentStore)));
  container.bind(Supervisor).to(ConmonSupervisor);
  container.bind(EventBus).to(InMemoryEventBus);

  container.bind(RuntimeRegistry).toSelf();
  container.bind(RegistryResolver).toSelf();
  container.bind(RegistryRateLimits).toSelf();
  container.bind(PluginHost).toSelf();
  container.bind(ImagePuller).toSelf();
  container.bind(ImagePusher).toSelf();
  container.bind(ImageTagger).toSelf();
  container.bind(AuthService).toSelf();
  container.bind(ImageRemover).toSelf();
  container.bind(ImageEventLogger).toSelf();
  container.bind(ImageService).toSelf();
  container.bind(ImageSaver).toSelf();
  container.bind(ImageLoader).toSelf();
  container.bind(ImageWriter).toSelf();
  container.bind(ImageImporter).toSelf();
  container.bind(ImageHistoryReader).toSelf();
  container.bind(ContainerCommitter).toSelf();
  container.bind(ImageBuilder).toSelf();
  container.bind(ImageBuildService).toSelf();
  container.bind(ImagePruner).toSelf();
  container.bind(DiskUsageService).toSelf();
  container.bind(ContainerStore).toSelf();
  container.bind(ContainerService).toSelf();
  container.bind(ContainerSecurity).toSelf();
  container.bind(ContainerArchive).toSelf();
  container.bind(ContainerExporter).toSelf();
  container.bind(ContainerOperations).toSelf();
  container.bind(ContainerStatsService).toSelf();
  container.bind(ContainerUpdateService).toSelf();
  container.bind(ExecService).toSelf();
  container.bind(AttachService).toSelf();
  container.bind(HealthMonitor).toSelf();
  container.bind(VolumeService).toSelf();
  container.bind(NetworkDriver).to(CniBridgeDriver);
  container.bind(NetworkService).toSelf();
  container.bind(ContainerMounts).toSelf();
  container.bind(SystemService).toSelf();
  container.bind(ImageUsage).toService(ContainerService);
  return container;
}
