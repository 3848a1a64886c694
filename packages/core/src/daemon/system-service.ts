// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { inject, injectable } from 'inversify';
import { API_VERSION, MIN_API_VERSION, type SystemInfo, type SystemVersion } from '../api/system.js';
import { EngineConfig } from '../config/engine-config.js';
import { dockerStatus } from '../container/container-record.js';
import { ContainerSecurity } from '../container/container-security.js';
import { ContainerService } from '../container/container-service.js';
import { ImageStore } from '../image/image-store.js';
import { PluginHost } from '../plugin/plugin-host.js';
import { RegistryRateLimits } from '../registry/registry-rate-limits.js';
import { RuntimeRegistry } from '../runtime/runtime-registry.js';
import { detectCgroupVersion } from '../shared/cgroup-version.js';
import { ENGINE_VERSION } from '../shared/engine-version.js';
import type { SystemBackend } from './routes/system-routes.js';

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** `/version` and `/info`: what this engine is and what it holds. */
@injectable()
export class SystemService implements SystemBackend {
  constructor(
    @inject(EngineConfig) private readonly config: EngineConfig,
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(ImageStore) private readonly images: ImageStore,
    @inject(RuntimeRegistry) private readonly runtimes: RuntimeRegistry,
    @inject(PluginHost) private readonly plugins: PluginHost,
    @inject(RegistryRateLimits) private readonly rateLimits: RegistryRateLimits,
    @inject(ContainerSecurity) private readonly security: ContainerSecurity,
  ) {}

  version(): SystemVersion {
    const platform = {
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: '',
      GoVersion: process.version,
      Os: 'linux',
      Arch: GO_ARCH[arch()] ?? arch(),
      KernelVersion: release(),
      BuildTime: '',
    };
    return {
      Platform: { Name: 'tsc-engine' },
      // The docker CLI prints the engine component's details, not the top-level fields.
      Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ...platform, Experimental: 'false' } }],
      Version: ENGINE_VERSION,
      ...platform,
      Experimental: false,
    };
  }

  async info(): Promise<SystemInfo> {
    const containers = this.containers.list();
    const count = (status: string) => containers.filter((c) => dockerStatus(c.state) === status).length;
    const runtimes: SystemInfo['Runtimes'] = {};
    for (const runtime of this.runtimes.list()) {
      const info = await runtime.info().catch(() => undefined);
      runtimes[runtime.id] = { path: info?.path ?? runtime.command().path, version: info?.version, features: info?.features };
    }
    return {
      ID: hostname(),
      Containers: containers.length,
      ContainersRunning: count('running'),
      ContainersPaused: count('paused'),
      ContainersStopped: containers.length - count('running') - count('paused'),
      Images: (await this.images.list()).length,
      Driver: 'overlay2',
      DockerRootDir: this.config.dataRoot,
      CgroupDriver: 'cgroupfs',
      CgroupVersion: await detectCgroupVersion(),
      KernelVersion: release(),
      OperatingSystem: await operatingSystem(),
      OSType: 'linux',
      Architecture: arch() === 'x64' ? 'x86_64' : arch(),
      NCPU: cpus().length,
      MemTotal: totalmem(),
      Name: hostname(),
      ServerVersion: ENGINE_VERSION,
      Runtimes: runtimes,
      DefaultRuntime: this.runtimes.defaultRuntime ?? '',
      SecurityOptions: await this.security.securityOptions(),
      Warnings: [],
      IndexServerAddress: 'https://index.docker.io/v1/',
      LiveRestoreEnabled: true,
      Swarm: { LocalNodeState: 'inactive' },
      RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8', ...this.config.insecureRegistries], Mirrors: this.config.registryMirrors },
      Plugins: { Engine: this.plugins.list() },
      RegistryRateLimits: this.rateLimits.list().map((seen) => ({
        Registry: seen.registry,
        Limit: seen.limit,
        Remaining: seen.remaining,
        ...(seen.windowSeconds !== undefined && { WindowSeconds: seen.windowSeconds }),
        ObservedAt: seen.observedAt,
      })),
    };
  }
}

async function operatingSystem(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? 'Linux';
}
