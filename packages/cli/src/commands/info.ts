// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { describeRateLimit, type SystemInfo } from '@tsc-engine/core/client';
import { EngineCommand } from '../engine-command.js';
import { binarySize } from '../format/human-size.js';

export default class Info extends EngineCommand {
  static override summary = 'Display system-wide information';
  static override flags = { format: Flags.string({ char: 'f', description: "'json' for machine-readable output" }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Info);
    const info = await (await this.connect(flags)).info();
    if (flags.format === 'json') this.log(JSON.stringify(info));
    else process.stdout.write(renderInfo(info));
  }
}

function renderInfo(info: SystemInfo): string {
  const lines = [
    'Server:',
    ` Containers: ${info.Containers}`,
    `  Running: ${info.ContainersRunning}`,
    `  Paused: ${info.ContainersPaused}`,
    `  Stopped: ${info.ContainersStopped}`,
    ` Images: ${info.Images}`,
    ` Server Version: ${info.ServerVersion}`,
    ` Storage Driver: ${info.Driver}`,
    ` Cgroup Driver: ${info.CgroupDriver}`,
    ` Cgroup Version: ${info.CgroupVersion}`,
    ` Runtimes: ${Object.keys(info.Runtimes ?? {}).sort().join(' ')}`,
    ...Object.entries(info.Runtimes ?? {}).sort(([a], [b]) => a.localeCompare(b)).flatMap(([id, runtime]) => [
      `  ${id}: ${runtime.version ?? 'version unknown'} (${runtime.path})`,
      `   Features: ${describeFeatures(runtime.features)}`,
    ]),
    ` Default Runtime: ${info.DefaultRuntime}`,
    ` Engine Plugins:`,
    ...(info.Plugins?.Engine ?? []).map((p) => `  ${p.type} ${p.id}: ${p.status}${p.reason ? ` (${p.reason})` : ''}`),
    ...(info.RegistryRateLimits?.length ? [' Registry Rate Limits:'] : []),
    ...(info.RegistryRateLimits ?? []).map((seen) =>
      `  ${seen.Registry}: ${describeRateLimit({ limit: seen.Limit, remaining: seen.Remaining, windowSeconds: seen.WindowSeconds })} (as of ${seen.ObservedAt})`),
    ...describeSecurityOptions(info.SecurityOptions ?? []),
    ` Kernel Version: ${info.KernelVersion}`,
    ` Operating System: ${info.OperatingSystem}`,
    ` OSType: ${info.OSType}`,
    ` Architecture: ${info.Architecture}`,
    ` CPUs: ${info.NCPU}`,
    ` Total Memory: ${binarySize(info.MemTotal)}`,
    ` Name: ${info.Name}`,
    ` ID: ${info.ID}`,
    ` Docker Root Dir: ${info.DockerRootDir}`,
    ` Live Restore Enabled: ${info.LiveRestoreEnabled}`,
    ...(info.Warnings ?? []).map((warning) => `WARNING: ${warning}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `name=seccomp,profile=builtin` entries as docker's CLI prints them: the name, then its profile if any. */
function describeSecurityOptions(options: string[]): string[] {
  if (options.length === 0) return [];
  return [' Security Options:', ...options.flatMap((option) => {
    const fields = new Map(option.split(',').map((field) => {
      const [key, ...value] = field.split('=');
      return [key, value.join('=')];
    }));
    const profile = fields.get('profile');
    return [`  ${fields.get('name') ?? option}`, ...(profile ? [`   Profile: ${profile}`] : [])];
  })];
}

/** A one-line digest of `<runtime> features` (runtime-spec features.md); `info -f json` has all of it. */
function describeFeatures(features: unknown): string {
  if (typeof features !== 'object' || features === null) return 'not reported (the runtime has no `features` command)';
  const { ociVersionMin, ociVersionMax, ...rest } = features as Record<string, unknown>;
  const range = ociVersionMin || ociVersionMax ? [`OCI ${String(ociVersionMin ?? '?')} to ${String(ociVersionMax ?? '?')}`] : [];
  return [...range, ...Object.keys(rest)].join(', ');
}
