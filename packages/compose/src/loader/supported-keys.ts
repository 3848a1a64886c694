// SPDX-License-Identifier: Apache-2.0
import type { ComposeProject } from '../compose-model.js';
import type { KeyPath } from './raw-value.js';

/**
 * The compose keys tsc-engine honours (or is being built to honour, issue 4). `true`: the key and everything
 * under it; a nested table: only the sub-keys listed. Any other key is kept in the model, and reported, so a user
 * never finds out at run time that a setting was silently ignored.
 */
type Supported = { [key: string]: true | Supported };

// Not listed because the engine does not apply them yet: deploy.restart_policy's delay and window.
const SERVICE: Supported = {
  image: true, command: true, entrypoint: true, environment: true, env_file: true, label_file: true, ports: true,
  expose: true, volumes: true, depends_on: true, scale: true, labels: true, user: true,
  working_dir: true, tmpfs: true, stop_signal: true, stop_grace_period: true, hostname: true,
  profiles: true, container_name: true, pull_policy: true,
  // target is refused when building, with why: a single-stage builder; no_cache is moot without a build cache.
  build: { context: true, dockerfile: true, args: true, labels: true, target: true, no_cache: true, network: true },
  networks: true, network_mode: true, pid: true,
  restart: true, extra_hosts: true, cap_add: true, cap_drop: true, privileged: true, init: true,
  healthcheck: { test: true, interval: true, timeout: true, retries: true, start_period: true, start_interval: true, disable: true },
  deploy: {
    replicas: true, labels: true, restart_policy: { condition: true, max_attempts: true },
    resources: { limits: { cpus: true, memory: true, pids: true }, reservations: { memory: true } },
  },
  mem_limit: true, mem_reservation: true, memswap_limit: true, cpus: true, cpu_shares: true, cpu_period: true,
  cpu_quota: true, cpuset: true, pids_limit: true, oom_kill_disable: true,
  secrets: true, configs: true,
  tty: true, stdin_open: true, domainname: true, security_opt: true, ulimits: true, read_only: true, sysctls: true,
  dns: true, dns_search: true, dns_opt: true, shm_size: true, devices: true, group_add: true,
};

const TOP_LEVEL: Supported = {
  name: true,
  networks: { '*': { name: true, external: true, driver: true, internal: true, labels: true, ipam: true } },
  volumes: { '*': { name: true, external: true, driver: true, labels: true } },
  secrets: { '*': { name: true, file: true, environment: true, content: true } },
  configs: { '*': { name: true, file: true, environment: true, content: true } },
};

/** Key paths present in `project` that tsc-engine does not honour, for the loader's warnings. */
export function unsupportedKeys(project: ComposeProject): KeyPath[] {
  const found: KeyPath[] = [];
  for (const [name, service] of Object.entries(project.services)) walk(service, SERVICE, ['services', name], found);
  const { networks, volumes, secrets, configs } = project;
  walk({ networks, volumes, secrets, configs }, TOP_LEVEL, [], found);
  return found;
}

function walk(value: unknown, supported: Supported, path: KeyPath, found: KeyPath[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('x-')) continue;
    const rule = supported[key] ?? supported['*'];
    if (rule === undefined) found.push([...path, key]);
    else if (rule !== true) walk(child, rule, [...path, key], found);
  }
}
