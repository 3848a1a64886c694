// SPDX-License-Identifier: Apache-2.0
import { isAbsolute, posix } from 'node:path';
import {
  InvalidArgumentError,
  NotImplementedError,
  parseRestartPolicy,
  type ContainerCreateRequest,
  type EndpointConfig,
  type HealthConfig,
  type MountSpec,
  type PortBinding,
  type RestartPolicy,
} from '@tsc-engine/core/client';
import type { ComposeProject, HealthcheckConfig, ServiceConfig, ServiceVolume } from '../compose-model.js';
import { parseGoDuration } from '../loader/go-duration.js';
import { COMPOSE_VERSION, ComposeLabel } from './compose-labels.js';
import { serviceImageName } from './image-build.js';
import { serviceResources } from './service-resources.js';
import { serviceRunOptions } from './run-options-request.js';
import { namespaceMode } from './service-references.js';

/** Which replica of which service a container is, and the hash it is created with. */
export interface ServiceReplica {
  service: string;
  number: number;
  configHash: string;
}

/**
 * The `POST /containers/create` body of one replica of a service: the compose model in Docker API terms, plus
 * the labels that find the container again. Keys the engine does not honour yet (restart, extra_hosts, cap_add,
 * …) are still sent in Docker's shape — the loader has already warned about them — so they start working the
 * day the engine learns them.
 */
export async function toContainerCreateRequest(project: ComposeProject, replica: ServiceReplica): Promise<ContainerCreateRequest> {
  const service = project.services[replica.service];
  const image = serviceImageName(project, replica.service);
  if (image === undefined) throw new InvalidArgumentError(`service "${replica.service}" has neither an image nor a build context specified`);
  const ports = portBindings(service);
  const networking = networkingOf(project, replica.service, service);
  const runOptions = await serviceRunOptions(project, service);
  return {
    Image: image,
    Cmd: service.command ?? undefined,
    Entrypoint: service.entrypoint ?? undefined,
    Env: Object.entries(service.environment ?? {}).flatMap(([k, v]) => (v === null ? [] : [`${k}=${v}`])),
    Hostname: service.hostname,
    User: service.user,
    WorkingDir: service.working_dir,
    StopSignal: service.stop_signal,
    StopTimeout: seconds(service.stop_grace_period),
    Healthcheck: service.healthcheck ? healthConfig(service.healthcheck) : undefined,
    ExposedPorts: Object.fromEntries([...(service.expose ?? []).map(portKey), ...Object.keys(ports)].map((key) => [key, {}])),
    Labels: { ...service.labels, ...containerLabels(project, replica, service, image) },
    ...runOptions.config,
    HostConfig: {
      NetworkMode: networking.mode,
      PortBindings: ports,
      Mounts: [...(service.volumes ?? []).map((v) => mountOf(project, replica.service, v)), ...fileMounts(project, service)],
      Tmpfs: service.tmpfs ? Object.fromEntries(service.tmpfs.map(tmpfsEntry)) : undefined,
      RestartPolicy: restartPolicy(service),
      ExtraHosts: service.extra_hosts?.map((entry) => entry.replace('=', ':')),
      CapAdd: service.cap_add,
      CapDrop: service.cap_drop,
      Privileged: service.privileged === true ? true : undefined,
      Init: service.init,
      ...serviceResources(replica.service, service),
      ...runOptions.hostConfig,
    },
    NetworkingConfig: { EndpointsConfig: networking.endpoints },
  };
}

function containerLabels(project: ComposeProject, replica: ServiceReplica, service: ServiceConfig, image: string): Record<string, string> {
  return {
    [ComposeLabel.project]: project.name,
    [ComposeLabel.service]: replica.service,
    [ComposeLabel.containerNumber]: String(replica.number),
    [ComposeLabel.oneoff]: 'False',
    [ComposeLabel.configHash]: replica.configHash,
    [ComposeLabel.workingDir]: project.workingDir,
    [ComposeLabel.configFiles]: project.composeFiles.join(','),
    [ComposeLabel.dependsOn]: Object.entries(service.depends_on ?? {})
      .map(([dep, spec]) => `${dep}:${spec.condition}:${spec.restart === true}`)
      .join(','),
    [ComposeLabel.image]: image,
    [ComposeLabel.version]: COMPOSE_VERSION,
  };
}

/**
 * The service's networks as the create request names them: the first (by `priority`, then name) is the
 * `NetworkMode`, every one gets the service name as an alias so that peers reach it by name.
 */
function networkingOf(project: ComposeProject, name: string, service: ServiceConfig): { mode: string; endpoints: Record<string, EndpointConfig> } {
  if (service.network_mode !== undefined) return { mode: namespaceMode(project, service.network_mode), endpoints: {} };
  const joined = Object.entries(service.networks ?? {}).sort(
    ([a, x], [b, y]) => Number(y?.priority ?? 0) - Number(x?.priority ?? 0) || a.localeCompare(b),
  );
  const endpoints = Object.fromEntries(
    joined.map(([key, config]) => [
      project.networks[key].name,
      {
        Aliases: [name, ...(config?.aliases ?? [])],
        ...(config?.ipv4_address ? { IPAMConfig: { IPv4Address: config.ipv4_address } } : {}),
      } satisfies EndpointConfig,
    ]),
  );
  return { mode: Object.keys(endpoints)[0] ?? 'none', endpoints };
}

function portBindings(service: ServiceConfig): Record<string, PortBinding[]> {
  const bindings: Record<string, PortBinding[]> = {};
  for (const port of service.ports ?? []) {
    const key = `${port.target}/${port.protocol || 'tcp'}`;
    (bindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  return bindings;
}

function portKey(expose: string): string {
  return expose.includes('/') ? expose : `${expose}/tcp`;
}

function mountOf(project: ComposeProject, name: string, volume: ServiceVolume): MountSpec {
  switch (volume.type) {
    case 'bind':
      return {
        Type: 'bind',
        Source: volume.source,
        Target: volume.target,
        ReadOnly: volume.read_only,
        BindOptions: { CreateMountpoint: volume.bind?.create_host_path ?? true, Propagation: volume.bind?.propagation },
      };
    case 'volume':
      return {
        Type: 'volume',
        Source: volume.source === undefined ? '' : project.volumes[volume.source].name,
        Target: volume.target,
        ReadOnly: volume.read_only,
        VolumeOptions: volume.volume?.nocopy ? { NoCopy: true } : undefined,
      };
    case 'tmpfs':
      return {
        Type: 'tmpfs',
        Target: volume.target,
        TmpfsOptions: { SizeBytes: volume.tmpfs?.size === undefined ? undefined : Number(volume.tmpfs.size), Mode: volume.tmpfs?.mode },
      };
    default:
      throw new NotImplementedError(`service "${name}": volumes of type ${volume.type} are not supported`);
  }
}

/**
 * `secrets` and `configs` from files, bind-mounted read-only as docker compose does outside Swarm: secrets
 * under /run/secrets/, configs at /<name> unless a target says otherwise.
 */
function fileMounts(project: ComposeProject, service: ServiceConfig): MountSpec[] {
  return (['secrets', 'configs'] as const).flatMap((kind) =>
    (service[kind] ?? []).map((ref): MountSpec => {
      const source = project[kind][ref.source];
      if (source.file === undefined) {
        throw new NotImplementedError(`${kind.slice(0, -1)} "${ref.source}": only file: sources are supported yet`, {
          hint: 'write the value to a file and name it with file:',
        });
      }
      const base = kind === 'secrets' ? '/run/secrets' : '/';
      const target = ref.target === undefined ? posix.join(base, ref.source) : isAbsolute(ref.target) ? ref.target : posix.join(base, ref.target);
      return { Type: 'bind', Source: source.file, Target: target, ReadOnly: true };
    }),
  );
}

function tmpfsEntry(entry: string): [string, string] {
  const at = entry.indexOf(':');
  return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
}

function restartPolicy(service: ServiceConfig): RestartPolicy | undefined {
  const condition = service.deploy?.restart_policy?.condition;
  if (service.restart === undefined && condition === undefined) {
    return undefined;
  }
  if (service.restart !== undefined) return parseRestartPolicy(service.restart);
  const name = condition === 'any' ? 'always' : condition === 'none' ? 'no' : 'on-failure';
  return { Name: name, MaximumRetryCount: service.deploy?.restart_policy?.max_attempts };
}

/** Docker's HealthConfig in nanoseconds; `disable` and `["NONE"]` both turn the image's check off. */
function healthConfig(check: HealthcheckConfig): HealthConfig {
  if (check.disable) return { Test: ['NONE'] };
  const ns = (text: string | undefined) => (text === undefined ? undefined : Math.round((parseGoDuration(text) ?? 0) * 1e6));
  return {
    Test: check.test,
    Interval: ns(check.interval),
    Timeout: ns(check.timeout),
    StartPeriod: ns(check.start_period),
    StartInterval: ns(check.start_interval),
    Retries: check.retries,
  };
}

function seconds(duration: string | undefined): number | undefined {
  const ms = duration === undefined ? undefined : parseGoDuration(duration);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
