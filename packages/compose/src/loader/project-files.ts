// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@tsc-engine/core/client';

/** The names docker compose looks for, in its order of preference. */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * The default compose file: the first of {@link DEFAULT_COMPOSE_FILES} in `dir` or, like docker compose, its
 * nearest parent that has one — followed by its `*.override.*` sibling when present.
 */
export function findDefaultComposeFiles(dir: string): string[] {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const found = DEFAULT_COMPOSE_FILES.map((name) => join(current, name)).find((path) => existsSync(path));
    if (found) {
      const ext = extname(found);
      const override = join(current, `${basename(found, ext)}.override${ext}`);
      return existsSync(override) ? [found, override] : [found];
    }
    if (dirname(current) === current) break;
  }
  throw new NotFoundError(`no configuration file provided: not found`, {
    hint: `create ${DEFAULT_COMPOSE_FILES[0]} in ${dir} or a parent directory, or name a file with -f`,
  });
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** A project name from a directory: lower case, only `[a-z0-9_-]`, starting with a letter or digit. */
export function projectNameFromDirectory(dir: string): string {
  return basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

export function checkProjectName(name: string, source: string): string {
  if (!PROJECT_NAME.test(name)) {
    throw new InvalidArgumentError(`invalid project name "${name}" (from ${source})`, {
      hint: 'a project name holds only lower-case letters, digits, dashes and underscores, and starts with a letter or digit',
    });
  }
  return name;
}
