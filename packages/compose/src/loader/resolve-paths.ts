// SPDX-License-Identifier: Apache-2.0
import { isAbsolute, normalize, resolve } from 'node:path';
import { isRawMap, YamlTag, type RawMap, type RawValue } from './raw-value.js';

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/** A host path from a compose file, made absolute: `~` is `home`, relative paths start at `dir`. */
export function expandHostPath(path: string, dir: string, home: string | undefined): string {
  if (WINDOWS_PATH.test(path)) return path;
  if ((path === '~' || path.startsWith('~/')) && home) return resolve(home, `.${path.slice(1)}`);
  return isAbsolute(path) ? normalize(path) : resolve(dir, path);
}

function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || context.startsWith('github.com/');
}

/** Applies `fn` to a value, looking through an `!override` tag. */
function through(value: RawValue, fn: (v: RawValue) => RawValue): RawValue {
  if (value instanceof YamlTag) return value.tag === '!override' ? new YamlTag('!override', fn(value.value)) : value;
  return fn(value);
}

/**
 * Makes a (canonical) service's relative host paths absolute against `dir`, the directory of the file that wrote
 * them: build context, bind-mount sources, env_file and label_file. Paths already absolute are left alone, so
 * a service taken from another file via `extends` is resolved against that file first and keeps those paths.
 */
export function resolveServicePaths(service: RawMap, dir: string, home: string | undefined): RawMap {
  const out: RawMap = { ...service };
  const path = (p: RawValue) => (typeof p === 'string' ? expandHostPath(p, dir, home) : p);
  if ('build' in out) {
    out.build = through(out.build, (b) => {
      if (!isRawMap(b) || typeof b.context !== 'string' || isRemoteContext(b.context)) return b;
      return { ...b, context: path(b.context) };
    });
  }
  if ('volumes' in out) {
    out.volumes = through(out.volumes, (list) => Array.isArray(list)
      ? list.map((v) => (isRawMap(v) && v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: path(v.source) } : v))
      : list);
  }
  if ('env_file' in out) {
    out.env_file = through(out.env_file, (list) => Array.isArray(list)
      ? list.map((f) => (isRawMap(f) ? { ...f, path: path(f.path) } : f))
      : list);
  }
  if ('label_file' in out) out.label_file = through(out.label_file, (list) => (Array.isArray(list) ? list.map(path) : list));
  return out;
}

/** Resolves every service's paths and the `file` of top-level secrets and configs against the project directory. */
export function resolveModelPaths(model: RawMap, dir: string, home: string | undefined): void {
  const services = model.services;
  if (isRawMap(services)) {
    for (const [name, service] of Object.entries(services)) if (isRawMap(service)) services[name] = resolveServicePaths(service, dir, home);
  }
  for (const section of ['secrets', 'configs']) {
    const entries = model[section];
    if (!isRawMap(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (isRawMap(entry) && typeof entry.file === 'string') entries[name] = { ...entry, file: expandHostPath(entry.file, dir, home) };
    }
  }
}
