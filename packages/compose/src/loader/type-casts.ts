// SPDX-License-Identifier: Apache-2.0
import { isRawMap, type KeyPath, type RawMap, type RawValue } from './raw-value.js';

type Cast = 'int' | 'float' | 'bool';

/**
 * Keys whose values the spec types as numbers or booleans but which may be written as strings so they can be
 * interpolated (`replicas: ${N}`). Casting them after interpolation, as compose-go does, turns `replicas: ""`
 * into an error instead of a string the engine would misread. `*` is any mapping key, `[]` any list item.
 */
const SERVICE_CASTS: [string, Cast][] = [
  ['configs.[].mode', 'int'], ['secrets.[].mode', 'int'], ['cpu_count', 'int'], ['cpu_percent', 'float'],
  ['cpu_period', 'int'], ['cpu_quota', 'int'], ['cpu_rt_period', 'int'], ['cpu_rt_runtime', 'int'], ['cpus', 'float'],
  ['cpu_shares', 'int'], ['init', 'bool'], ['deploy.replicas', 'int'], ['deploy.update_config.parallelism', 'int'],
  ['deploy.update_config.max_failure_ratio', 'float'], ['deploy.rollback_config.parallelism', 'int'],
  ['deploy.rollback_config.max_failure_ratio', 'float'], ['deploy.restart_policy.max_attempts', 'int'],
  ['deploy.placement.max_replicas_per_node', 'int'], ['healthcheck.retries', 'int'], ['healthcheck.disable', 'bool'],
  ['oom_kill_disable', 'bool'], ['oom_score_adj', 'int'], ['pids_limit', 'int'], ['ports.[].target', 'int'],
  ['privileged', 'bool'], ['read_only', 'bool'], ['scale', 'int'], ['stdin_open', 'bool'], ['tty', 'bool'],
  ['ulimits.*', 'int'], ['ulimits.*.hard', 'int'], ['ulimits.*.soft', 'int'], ['volumes.[].read_only', 'bool'],
  ['volumes.[].volume.nocopy', 'bool'],
];
const CASTS: [string[], Cast][] = [
  ...SERVICE_CASTS.map(([p, c]): [string[], Cast] => [['services', '*', ...p.split('.')], c]),
  ...['networks.*.external', 'networks.*.internal', 'networks.*.attachable', 'networks.*.enable_ipv6',
    'volumes.*.external', 'secrets.*.external', 'configs.*.external'].map((p): [string[], Cast] => [p.split('.'), 'bool']),
];

export type CastFailure = (path: KeyPath, message: string) => never;

/** Applies the casts to a raw model in place, reporting the first value that does not convert. */
export function castTypes(model: RawMap, fail: CastFailure): void {
  for (const [pattern, cast] of CASTS) visit(model, pattern, [], cast, fail);
}

function visit(node: RawValue, pattern: string[], path: (string | number)[], cast: Cast, fail: CastFailure): void {
  const [head, ...rest] = pattern;
  const children: [string | number, RawValue][] =
    head === '[]' ? (Array.isArray(node) ? node.map((v, i) => [i, v]) : [])
      : isRawMap(node) ? (head === '*' ? Object.entries(node) : head in node ? [[head, node[head]]] : []) : [];
  for (const [key, child] of children) {
    if (rest.length > 0) {
      visit(child, rest, [...path, key], cast, fail);
    } else if (typeof child === 'string') {
      const value = convert(child, cast);
      if (value === undefined) fail([...path, key], `"${child}" is not a valid ${cast === 'bool' ? 'boolean' : cast === 'int' ? 'integer' : 'number'}`);
      (node as Record<string | number, RawValue>)[key] = value;
    }
  }
}

function convert(value: string, cast: Cast): number | boolean | undefined {
  const text = value.trim();
  if (cast === 'bool') {
    if (/^(y|yes|true|on)$/i.test(text)) return true;
    if (/^(n|no|false|off)$/i.test(text)) return false;
    return undefined;
  }
  if (cast === 'int') return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
}
