// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { formatKeyPath, type KeyPath } from './raw-value.js';

/** Where a key was written: 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** Key positions of one compose file, looked up by key path. */
export class SourceLocations {
  private readonly positions = new Map<string, SourcePosition>();

  constructor(readonly file: string) {}

  set(path: KeyPath, line: number, column: number): void {
    this.positions.set(pathKey(path), { file: this.file, line, column });
  }

  /** The position of `path`, or of its closest ancestor that has one. */
  find(path: KeyPath): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const position = this.positions.get(pathKey(path.slice(0, n)));
      if (position) return position;
    }
    return undefined;
  }

  /** Only an exact match: used to tell which of several files wrote a key. */
  has(path: KeyPath): boolean {
    return this.positions.has(pathKey(path));
  }
}

/** The locations of every file that went into a model, searched last file first (the one whose value won). */
export class SourceIndex {
  private readonly files: SourceLocations[] = [];

  add(locations: SourceLocations): void {
    this.files.push(locations);
  }

  find(path: KeyPath): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const prefix = path.slice(0, n);
      for (let i = this.files.length - 1; i >= 0; i--) if (this.files[i].has(prefix)) return this.files[i].find(prefix);
    }
    return undefined;
  }
}

const pathKey = (path: KeyPath) => path.join('\u001f');

export function formatPosition(position: SourcePosition | undefined): string {
  return position ? `${position.file}:${position.line}:${position.column}` : '';
}

/**
 * An invalid compose model, named the way a user finds it: `compose.yaml:12:7: services.web.ports[0]: …`.
 * `where` is either a position or just the file name when no line is known.
 */
export function composeError(where: SourcePosition | string | undefined, path: KeyPath, message: string, hint?: string) {
  const place = typeof where === 'string' ? where : formatPosition(where);
  const key = path.length > 0 ? `${formatKeyPath(path)}: ` : '';
  return new InvalidArgumentError(`${place ? `${place}: ` : ''}${key}${message}`, hint ? { hint } : {});
}
