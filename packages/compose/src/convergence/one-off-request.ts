// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import type { ContainerCreateRequest, EndpointConfig } from '@tsc-engine/core/client';
import type { ComposeProject, PortConfig, ServiceConfig, ServiceVolume } from '../compose-model.js';
import { ComposeLabel } from './compose-labels.js';
import { serviceConfigHash } from './config-hash.js';
import { toContainerCreateRequest } from './container-request.js';

/** What `compose run` changes of a service for its one-off container. */
export interface OneOffOptions {
  service: string;
  /** Replaces the service's command when not empty. */
  command: string[];
  /** Replaces the service's entrypoint; with no command, the image's command is dropped too. */
  entrypoint?: string[];
  /** `KEY=value` entries over the service's environment. */
  environment: string[];
  user?: string;
  workdir?: string;
  labels: Record<string, string>;
  /** Mounted beside the service's own volumes. */
  volumes: ServiceVolume[];
  /** The ports published: none unless `--service-ports` (the service's) or `--publish` (these). */
  ports: PortConfig[];
  /** Join the networks under the service's name and aliases (`--use-aliases`); peers then reach it by them. */
  useAliases: boolean;
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
  /** Else `<project>-<service>-run-<12 hex>`, as docker compose names it; `container_name` is ignored. */
  name?: string;
}

/**
 * The create body of a `compose run` container, as docker compose makes it (`pkg/compose/run.go`): the service's
 * container with the run's overrides, no restart policy, labelled `oneoff=True` with a random slug and container
 * number -1, so that `up` and `ps` leave it alone while `down` still finds it.
 */
export async function toOneOffRequest(project: ComposeProject, options: OneOffOptions): Promise<{ name: string; request: ContainerCreateRequest }> {
  const base = project.services[options.service];
  const slug = randomBytes(32).toString('hex');
  const service: ServiceConfig = {
    ...base,
    command: options.command.length > 0 ? options.command : options.entrypoint ? [] : base.command,
    entrypoint: options.entrypoint ?? base.entrypoint,
    environment: { ...base.environment, ...Object.fromEntries(options.environment.map(splitEntry)) },
    user: options.user ?? base.user,
    working_dir: options.workdir ?? base.working_dir,
    labels: { ...base.labels, ...options.labels },
    volumes: [...(base.volumes ?? []), ...options.volumes],
    ports: options.ports,
    restart: undefined,
    deploy: base.deploy && { ...base.deploy, restart_policy: undefined },
  };
  // A named volume given with -v that the files do not declare is taken as an existing one, as docker does.
  const volumes = { ...project.volumes };
  for (const volume of options.volumes) {
    if (volume.type === 'volume' && volume.source !== undefined) volumes[volume.source] ??= { name: volume.source, external: true };
  }
  const withRun = { ...project, volumes, services: { ...project.services, [options.service]: service } };
  const request = await toContainerCreateRequest(withRun, { service: options.service, number: -1, configHash: serviceConfigHash(service) });
  // toContainerCreateRequest gives every endpoint the service's aliases.
  const endpoints = (request.NetworkingConfig?.EndpointsConfig ?? {}) as Record<string, EndpointConfig>;
  return {
    name: options.name ?? `${project.name}-${options.service}-run-${slug.slice(0, 12)}`,
    request: {
      ...request,
      Labels: { ...request.Labels, [ComposeLabel.oneoff]: 'True', [ComposeLabel.slug]: slug },
      Tty: options.tty,
      OpenStdin: options.interactive,
      StdinOnce: options.interactive,
      AttachStdin: options.interactive,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { ...request.HostConfig, AutoRemove: options.autoRemove },
      NetworkingConfig: {
        EndpointsConfig: options.useAliases
          ? endpoints
          : Object.fromEntries(Object.entries(endpoints).map(([network, { Aliases: _, ...endpoint }]) => [network, endpoint])),
      },
    },
  };
}

function splitEntry(entry: string): [string, string] {
  const at = entry.indexOf('=');
  return [entry.slice(0, at), entry.slice(at + 1)];
}
