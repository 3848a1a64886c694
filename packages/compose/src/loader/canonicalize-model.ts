// SPDX-License-Identifier: Apache-2.0
import { completePort, listToMap, parsePortSpec, parseVolumeSpec, ShortSyntaxError } from './short-syntax.js';
import { isRawMap, YamlTag, type KeyPath, type RawMap, type RawValue } from './raw-value.js';
import { splitShellWords } from './shell-words.js';

export type CanonicalizeFailure = (path: KeyPath, message: string) => never;

/**
 * Rewrites one file's model (interpolated and schema-valid) from the spec's alternative syntaxes to a single
 * long form, in place, so files and `extends` merge key by key: list-or-dict keys become mappings, ports and
 * volumes long syntax, `depends_on`/`networks` mappings, strings-or-lists lists, commands argument lists.
 */
export function canonicalizeModel(model: RawMap, fail: CanonicalizeFailure): void {
  const services = model.services;
  if (isRawMap(services)) {
    for (const [name, service] of Object.entries(services)) {
      if (service === null) services[name] = {};
      else if (isRawMap(service)) canonicalizeService(service, ['services', name], fail);
    }
  }
  for (const section of ['networks', 'volumes'] as const) {
    const entries = model[section];
    if (!isRawMap(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (entry === null) entries[name] = {};
      else if (isRawMap(entry)) rewrite(entry, 'labels', (v) => (Array.isArray(v) ? listToMap(v, '') : v));
    }
  }
}

type Rewrite = (value: RawValue, path: KeyPath) => RawValue;

/** Applies `fn` to `map[key]` when present, looking through `!override` (a `!reset` has nothing to rewrite). */
function rewrite(map: RawMap, key: string, fn: Rewrite, path: KeyPath = []): void {
  if (!(key in map)) return;
  const value = map[key];
  if (value instanceof YamlTag) {
    if (value.tag === '!override') map[key] = new YamlTag('!override', fn(value.value, [...path, key]));
  } else {
    map[key] = fn(value, [...path, key]);
  }
}

const toList: Rewrite = (v) => (typeof v === 'string' || typeof v === 'number' ? [v] : v);
const toStringMap = (bare: null | string): Rewrite => (v) => {
  if (Array.isArray(v)) return listToMap(v, bare);
  if (!isRawMap(v)) return v;
  const out: RawMap = {};
  for (const [k, item] of Object.entries(v)) out[k] = item === null ? bare : String(item);
  return out;
};

function canonicalizeService(service: RawMap, at: KeyPath, fail: CanonicalizeFailure): void {
  const guarded = (fn: Rewrite): Rewrite => (value, path) => {
    try {
      return fn(value, path);
    } catch (error) {
      if (error instanceof ShortSyntaxError || (error as { code?: string }).code === 'invalid-argument') {
        return fail(path, (error as Error).message);
      }
      throw error;
    }
  };
  const on = (key: string, fn: Rewrite) => rewrite(service, key, guarded(fn), at);

  on('build', (v) => (typeof v === 'string' ? { context: v } : v));
  const build = service.build;
  if (isRawMap(build)) for (const key of ['args', 'labels']) rewrite(build, key, toStringMap(key === 'args' ? null : ''));
  on('environment', toStringMap(null));
  for (const key of ['labels', 'annotations']) on(key, toStringMap(''));
  on('sysctls', (v) => (Array.isArray(v) ? listToMap(v, '') : v));
  for (const key of ['command', 'entrypoint']) on(key, (v) => (typeof v === 'string' ? splitShellWords(v) : v));
  for (const key of ['dns', 'dns_search', 'tmpfs', 'env_file', 'label_file', 'profiles', 'cap_add', 'cap_drop']) on(key, toList);
  on('env_file', (v) => (Array.isArray(v) ? v.map((f) => (typeof f === 'string' ? { path: f, required: true } : f)) : v));
  on('expose', (v) => (Array.isArray(v) ? v.map(String) : v));
  on('extra_hosts', (v) => {
    if (isRawMap(v)) return Object.entries(v).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((one) => `${host}=${String(one)}`));
    // `host:ip` is the older list form; the first `:` separates because IPv6 addresses carry more.
    return Array.isArray(v) ? v.map((e) => String(e).replace(/^([^=:]+):/, '$1=')) : v;
  });
  on('ports', (v) => (Array.isArray(v) ? v.flatMap((p) => (isRawMap(p) ? [completePort(p)] : parsePortSpec(p as string | number))) : v));
  on('volumes', (v) => (Array.isArray(v) ? v.map((e) => (typeof e === 'string' ? parseVolumeSpec(e) : e)) : v));
  for (const key of ['secrets', 'configs']) on(key, (v) => (Array.isArray(v) ? v.map((e) => (typeof e === 'string' ? { source: e } : e)) : v));
  on('depends_on', (v) => {
    const entries: [string, RawValue][] = Array.isArray(v) ? v.map((name) => [String(name), {}]) : isRawMap(v) ? Object.entries(v) : [];
    const out: RawMap = {};
    for (const [name, dep] of entries) {
      const d = isRawMap(dep) ? dep : {};
      out[name] = { condition: 'service_started', ...d, required: d.required ?? true };
    }
    return out;
  });
  on('networks', (v) => (Array.isArray(v) ? Object.fromEntries(v.map((n) => [String(n), null])) : v));
  on('healthcheck', (v) => {
    if (!isRawMap(v)) return v;
    const test = v.test;
    return typeof test === 'string' ? { ...v, test: ['CMD-SHELL', test] } : v;
  });
  const deploy = service.deploy;
  if (isRawMap(deploy)) rewrite(deploy, 'labels', toStringMap(''));
}
