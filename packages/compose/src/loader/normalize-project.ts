// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import type {
  ComposeProject, FileObjectConfig, NetworkConfig, ServiceConfig, VolumeConfig,
} from '../compose-model.js';
import { parseDotenv } from './dotenv.js';
import { formatGoDuration, parseGoDuration } from './go-duration.js';
import type { VariableLookup } from './interpolation.js';
import { isRawMap, type KeyPath, type RawMap, type RawValue } from './raw-value.js';
import { composeError, type SourceIndex } from './source-position.js';

export interface NormalizeContext {
  projectName: string;
  workingDir: string;
  composeFiles: string[];
  lookup: VariableLookup;
  sources: SourceIndex;
}

const DURATIONS = [
  ['healthcheck', 'interval'], ['healthcheck', 'timeout'], ['healthcheck', 'start_period'], ['healthcheck', 'start_interval'],
  ['stop_grace_period'], ['deploy', 'restart_policy', 'delay'], ['deploy', 'restart_policy', 'window'],
  ['deploy', 'update_config', 'delay'], ['deploy', 'update_config', 'monitor'],
  ['deploy', 'rollback_config', 'delay'], ['deploy', 'rollback_config', 'monitor'],
];

/**
 * Turns the merged, canonical, path-resolved model into the {@link ComposeProject}: env_file and label_file read
 * into environment and labels, host values filled in for bare environment names, durations in Go form, the
 * implicit `default` network, and engine-side names for networks and volumes. Profiles are applied by the caller.
 */
export function normalizeProject(model: RawMap, ctx: NormalizeContext): ComposeProject {
  const fail = (path: KeyPath, message: string): never => {
    throw composeError(ctx.sources.find(path), path, message);
  };
  const services: Record<string, ServiceConfig> = {};
  for (const [name, raw] of Object.entries(asMap(model.services))) services[name] = normalizeService(name, asMap(raw), ctx, fail);

  const networks: Record<string, NetworkConfig> = {};
  const declared = asMap(model.networks);
  const usesDefault = Object.values(services).some((s) => s.networks && 'default' in s.networks);
  if (usesDefault && !('default' in declared)) declared.default = {};
  for (const [key, raw] of Object.entries(declared)) networks[key] = { ...asMap(raw), name: resourceName(key, asMap(raw), ctx.projectName) } as NetworkConfig;

  const volumes: Record<string, VolumeConfig> = {};
  for (const [key, raw] of Object.entries(asMap(model.volumes))) volumes[key] = { ...asMap(raw), name: resourceName(key, asMap(raw), ctx.projectName) } as VolumeConfig;

  const extensions = Object.fromEntries(Object.entries(model).filter(([key]) => key.startsWith('x-')));
  return {
    name: ctx.projectName,
    workingDir: ctx.workingDir,
    composeFiles: ctx.composeFiles,
    services,
    disabledServices: {},
    networks,
    volumes,
    secrets: asMap(model.secrets) as Record<string, FileObjectConfig>,
    configs: asMap(model.configs) as Record<string, FileObjectConfig>,
    extensions,
  };
}

function normalizeService(name: string, raw: RawMap, ctx: NormalizeContext, fail: (path: KeyPath, message: string) => never): ServiceConfig {
  const at: KeyPath = ['services', name];
  const service: RawMap = { ...raw };

  const fromFiles = new Map<string, string>();
  for (const [i, entry] of asList(service.env_file).entries()) {
    const { path, required } = asMap(entry);
    if (typeof path !== 'string') continue;
    if (!existsSync(path)) {
      if (required === false) continue;
      fail([...at, 'env_file', i], `env file ${path} not found`);
    }
    try {
      for (const [k, v] of parseDotenv(readFileSync(path, 'utf8'), ctx.lookup, path)) fromFiles.set(k, v);
    } catch (error) {
      fail([...at, 'env_file', i], (error as Error).message);
    }
  }
  delete service.env_file;
  if (fromFiles.size > 0 || 'environment' in service) {
    const environment: RawMap = Object.fromEntries(fromFiles);
    for (const [k, v] of Object.entries(asMap(service.environment))) environment[k] = v ?? ctx.lookup(k) ?? null;
    service.environment = environment;
  }

  const labelFiles = asList(service.label_file);
  if (labelFiles.length > 0) {
    const labels: RawMap = {};
    for (const [i, path] of labelFiles.entries()) {
      if (!existsSync(String(path))) fail([...at, 'label_file', i], `label file ${String(path)} not found`);
      for (const [k, v] of parseDotenv(readFileSync(String(path), 'utf8'), () => undefined, String(path))) labels[k] = v;
    }
    service.labels = { ...labels, ...asMap(service.labels) };
    delete service.label_file;
  }

  if (!('networks' in service) && !('network_mode' in service)) service.networks = { default: null };
  if (isRawMap(service.build)) service.build = { dockerfile: 'Dockerfile', ...service.build };
  if (isRawMap(service.healthcheck) && service.healthcheck.disable === true) service.healthcheck = { ...service.healthcheck, test: ['NONE'] };

  for (const path of DURATIONS) {
    const parent = path.slice(0, -1).reduce<RawValue | undefined>((node, key) => (isRawMap(node) ? node[key] : undefined), service);
    const key = path[path.length - 1];
    if (!isRawMap(parent) || parent[key] === undefined || parent[key] === null) continue;
    const ms = parseGoDuration(parent[key] as string | number);
    if (ms === undefined) fail([...at, ...path], `"${String(parent[key])}" is not a duration (e.g. 30s, 1m30s)`);
    parent[key] = formatGoDuration(ms as number);
  }

  const replicas = isRawMap(service.deploy) ? service.deploy.replicas : undefined;
  if (typeof service.scale === 'number' && typeof replicas === 'number' && service.scale !== replicas) {
    fail([...at, 'scale'], `scale (${service.scale}) and deploy.replicas (${replicas}) differ`);
  }
  return service as ServiceConfig;
}

/** The engine-side name of a network or volume: `name:` if set, the key for external ones, else `<project>_<key>`. */
function resourceName(key: string, raw: RawMap, project: string): string {
  if (typeof raw.name === 'string') return raw.name;
  if (isRawMap(raw.external) && typeof raw.external.name === 'string') return raw.external.name;
  if (raw.external === true || isRawMap(raw.external)) return key;
  return `${project}_${key}`;
}

const asMap = (value: RawValue | undefined): RawMap => (isRawMap(value) ? value : {});
const asList = (value: RawValue | undefined): RawValue[] => (Array.isArray(value) ? value : []);
