// SPDX-License-Identifier: Apache-2.0
import {
  parseDeviceMapping,
  ramInBytes,
  securityOptRequest,
  type ContainerConfig,
  type ContainerRunOptions,
  type HostConfig,
} from '@tsc-engine/core/client';
import type { ComposeProject, ServiceConfig } from '../compose-model.js';
import { namespaceMode } from './service-references.js';

/** What a service's process and sandbox keys add to its create request, in the Docker API's terms. */
export interface ServiceRunOptions {
  config: Pick<ContainerConfig, 'Tty' | 'OpenStdin' | 'Domainname'>;
  hostConfig: ContainerRunOptions & Pick<HostConfig, 'SecurityOpt'>;
}

/**
 * `tty`, `stdin_open`, `domainname`, `ulimits`, `read_only`, `sysctls`, `dns*`, `shm_size`, `devices`,
 * `group_add`, `security_opt` and `pid`, as docker compose sends them (`pkg/compose/create.go`). A `seccomp=<file>` is
 * read from the project directory and sent as JSON, as docker's CLI does, since the daemon never opens a client's
 * paths.
 */
export async function serviceRunOptions(project: ComposeProject, service: ServiceConfig): Promise<ServiceRunOptions> {
  return {
    config: definedOnly({ Tty: service.tty, OpenStdin: service.stdin_open, Domainname: service.domainname }),
    hostConfig: definedOnly({
      Ulimits: service.ulimits && Object.entries(service.ulimits).map(([name, limit]) =>
        typeof limit === 'object' ? { Name: name, Soft: Number(limit.soft), Hard: Number(limit.hard) } : { Name: name, Soft: Number(limit), Hard: Number(limit) }),
      ReadonlyRootfs: service.read_only,
      Sysctls: service.sysctls && Object.fromEntries(Object.entries(service.sysctls).map(([key, value]) => [key, String(value ?? '')])),
      Dns: service.dns,
      DnsSearch: service.dns_search,
      DnsOptions: service.dns_opt,
      ShmSize: service.shm_size === undefined ? undefined : typeof service.shm_size === 'number' ? service.shm_size : ramInBytes(service.shm_size),
      Devices: service.devices?.map((device) =>
        typeof device === 'string'
          ? parseDeviceMapping(device)
          : { PathOnHost: device.source, PathInContainer: device.target ?? device.source, CgroupPermissions: device.permissions ?? 'rwm' }),
      GroupAdd: service.group_add?.map(String),
      SecurityOpt: await securityOptRequest(service.security_opt, project.workingDir),
      PidMode: service.pid ? namespaceMode(project, service.pid) : undefined,
    }),
  };
}

/** The request carries only the keys the service sets, as the rest of its body does. */
function definedOnly<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
