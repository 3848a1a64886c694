// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../compose-model.js';

/**
 * The `com.docker.compose.config-hash` of a service: a digest of everything that shapes its containers. Like
 * docker compose's `ServiceHash`, it leaves out what does not (how many replicas, how to build or pull, profiles,
 * start order), so scaling or reordering never recreates a container.
 */
export function serviceConfigHash(service: ServiceConfig): string {
  const { build: _build, pull_policy: _pull, scale: _scale, depends_on: _deps, profiles: _profiles, deploy, ...rest } = service;
  const { replicas: _replicas, ...deployRest } = deploy ?? {};
  const shaped = deploy === undefined ? rest : { ...rest, deploy: deployRest };
  return createHash('sha256').update(canonicalJson(shaped)).digest('hex');
}

/** JSON with object keys sorted, so equal configurations hash equally whatever order their files used. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
