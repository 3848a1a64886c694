// SPDX-License-Identifier: Apache-2.0
import { isRawMap, YamlTag, type RawMap, type RawValue } from './raw-value.js';

/** Lists a later file replaces instead of extending (the spec's "command/entrypoint/healthcheck.test" rule). */
const REPLACED = new Set(['services.*.command', 'services.*.entrypoint', 'services.*.healthcheck.test']);

/** Lists whose entries are identified by a key: a later entry with the same key replaces the earlier one. */
const KEYED: Record<string, (entry: RawValue) => string> = {
  'services.*.ports': (p) => (isRawMap(p) ? [p.host_ip ?? '', p.published ?? '', p.target, p.protocol ?? 'tcp'].join('|') : String(p)),
  'services.*.volumes': (v) => (isRawMap(v) ? String(v.target) : String(v)),
  'services.*.devices': (d) => (isRawMap(d) ? String(d.target ?? d.source) : String(d).split(':')[1] ?? String(d)),
  'services.*.secrets': (s) => (isRawMap(s) ? String(s.target ?? s.source) : String(s)),
  'services.*.configs': (s) => (isRawMap(s) ? String(s.target ?? s.source) : String(s)),
  'services.*.env_file': (f) => (isRawMap(f) ? String(f.path) : String(f)),
};

/**
 * Merges a later compose file (or an extending service) over an earlier one, by the compose-spec rules: mappings
 * merge key by key, scalars are replaced, most lists are appended without duplicates, keyed lists (ports,
 * volumes, secrets…) replace entries with the same key, `command`/`entrypoint`/`healthcheck.test` are replaced
 * whole. `!reset` removes a value and `!override` replaces it without merging. Both inputs must be canonical
 * (see canonicalizeModel) so that, e.g., an `environment` list and mapping merge.
 */
export function mergeModels(base: RawMap, override: RawMap, path: readonly string[] = []): RawMap {
  return mergeValue(base, override, path) as RawMap;
}

function mergeValue(base: RawValue | undefined, over: RawValue, path: readonly string[]): RawValue {
  if (over instanceof YamlTag) return over;
  if (base instanceof YamlTag) base = base.tag === '!reset' ? undefined : base.value;
  if (base === undefined) return over;
  if (isRawMap(base)) {
    if (over === null) return base;
    if (!isRawMap(over)) return over;
    const out: RawMap = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = mergeValue(base[key], value, [...path, key]);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const pattern = path.map((p, i) => (i === 1 ? '*' : p)).join('.');
    if (REPLACED.has(pattern)) return over;
    const keyOf = KEYED[pattern] ?? ((entry: RawValue) => JSON.stringify(entry));
    const merged = new Map<string, RawValue>();
    for (const entry of [...base, ...over]) {
      const key = keyOf(entry);
      merged.delete(key);
      merged.set(key, entry);
    }
    return [...merged.values()];
  }
  return over;
}
