// SPDX-License-Identifier: Apache-2.0
import type { ServiceConfig } from '../compose-model.js';

/** `<project>-<service>-<n>`, docker compose v2's container name, or the service's `container_name`. */
export function containerName(project: string, service: string, config: ServiceConfig, number: number): string {
  return config.container_name ?? `${project}-${service}-${number}`;
}

/** A container's name as the API lists it (`/x-web-1`), without the slash. */
export function plainName(names: readonly string[] | string): string {
  return (typeof names === 'string' ? names : names[0] ?? '').replace(/^\//, '');
}
