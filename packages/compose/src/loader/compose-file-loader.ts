// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { NotFoundError } from '@tsc-engine/core/client';
import { canonicalizeModel } from './canonicalize-model.js';
import { interpolateModel, type VariableLookup } from './interpolation.js';
import { parseComposeYaml } from './parse-compose-yaml.js';
import { stripTags, type KeyPath, type RawMap } from './raw-value.js';
import type { SchemaValidator } from './schema-validator.js';
import { composeError, type SourceIndex, type SourceLocations } from './source-position.js';
import { castTypes } from './type-casts.js';

/** A compose file read, interpolated, validated and canonicalised, not yet merged with anything. */
export interface ComposeFile {
  path: string;
  dir: string;
  model: RawMap;
  locations: SourceLocations;
}

export interface ComposeFileLoaderOptions {
  lookup: VariableLookup;
  sources: SourceIndex;
  validate: SchemaValidator;
  warn: (message: string) => void;
  /** Directory file names in messages are made relative to. */
  cwd: string;
  /** Text of `-f -`. */
  stdin?: () => string;
}

/**
 * Reads compose files for one variable environment, once each: a file reached again (several `extends` into it)
 * is served from memory. Every failure names the file, line and key.
 */
export class ComposeFileLoader {
  private readonly files = new Map<string, ComposeFile>();
  private readonly unset = new Set<string>();

  constructor(readonly options: ComposeFileLoaderOptions) {}

  load(path: string): ComposeFile {
    const cached = this.files.get(path);
    if (cached) return cached;
    const file = this.read(path);
    this.files.set(path, file);
    return file;
  }

  private read(path: string): ComposeFile {
    const { lookup, sources, cwd } = this.options;
    const display = path === '-' ? '<stdin>' : relative(cwd, path).startsWith('..') ? path : relative(cwd, path) || path;
    const text = path === '-' ? (this.options.stdin?.() ?? '') : readText(path);
    const { model, locations } = parseComposeYaml(text, display);
    const fail = (keyPath: KeyPath, message: string, hint?: string): never => {
      throw composeError(locations.find(keyPath), keyPath, message, hint);
    };
    const onUnset = (name: string) => {
      if (this.unset.has(name)) return;
      this.unset.add(name);
      this.options.warn(`the "${name}" variable is not set, defaulting to a blank string`);
    };
    const interpolated = interpolateModel(model, { lookup, onUnset }, [], (keyPath, error) =>
      fail(keyPath, error.message, (error as { hint?: string }).hint)) as RawMap;
    castTypes(interpolated, fail);
    const violation = this.options.validate(stripTags(interpolated) as RawMap);
    if (violation) fail(violation.path, violation.message);
    canonicalizeModel(interpolated, fail);
    sources.add(locations);
    return { path, dir: path === '-' ? cwd : dirname(path), model: interpolated, locations };
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`open ${path}: no such file or directory`, { cause: error });
    }
    throw error;
  }
}
