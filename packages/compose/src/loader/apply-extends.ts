// SPDX-License-Identifier: Apache-2.0
import { resolve } from 'node:path';
import type { ComposeFile, ComposeFileLoader } from './compose-file-loader.js';
import { mergeModels } from './merge.js';
import { isRawMap, stripTags, type RawMap } from './raw-value.js';
import { resolveServicePaths } from './resolve-paths.js';
import { composeError } from './source-position.js';

/**
 * Resolves `extends` in every service of a file: the base service (same file, or `file:` relative to this one)
 * is itself resolved first, its relative paths are made absolute against its own file's directory, then this
 * service is merged over it with the multi-file merge rules. Cycles, across files too, are errors.
 */
export class ExtendsResolver {
  private readonly resolved = new Map<string, RawMap>();

  constructor(
    private readonly loader: ComposeFileLoader,
    private readonly home: string | undefined,
  ) {}

  /** `file` with every service's `extends` applied (a new model; the cached file is left as read). */
  apply(file: ComposeFile): RawMap {
    const services = file.model.services;
    if (!isRawMap(services)) return file.model;
    const out: RawMap = {};
    for (const name of Object.keys(services)) out[name] = this.service(file, name, []);
    return { ...file.model, services: out };
  }

  private service(file: ComposeFile, name: string, chain: string[]): RawMap {
    const id = `${file.path}#${name}`;
    const done = this.resolved.get(id);
    if (done) return done;
    const services = file.model.services;
    const service = isRawMap(services) ? services[name] : undefined;
    if (!isRawMap(service)) {
      const at = chain.length > 0 ? chain[chain.length - 1] : id;
      throw composeError(file.locations.find(['services']), ['services'], `cannot extend service "${name}": not defined in ${file.locations.file} (from ${at})`);
    }
    const spec = service.extends;
    if (spec === undefined) return service;
    if (chain.includes(id)) {
      throw composeError(file.locations.find(['services', name, 'extends']), ['services', name, 'extends'],
        `extends cycle: ${[...chain, id].map((c) => c.replace(/^.*\//, '')).join(' -> ')}`);
    }
    const { service: baseName, file: baseFile } = isRawMap(spec) ? spec : { service: spec, file: undefined };
    let base: RawMap;
    if (typeof baseFile === 'string') {
      const other = this.loader.load(resolve(file.dir, baseFile));
      base = resolveServicePaths(this.service(other, String(baseName), [...chain, id]), other.dir, this.home);
    } else {
      base = this.service(file, String(baseName), [...chain, id]);
    }
    const { extends: _, ...own } = service;
    const merged = stripTags(mergeModels(base, own, ['services', name])) as RawMap;
    this.resolved.set(id, merged);
    return merged;
  }
}
