// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';

/**
 * `--security-opt` (and compose's `security_opt`) as docker's CLI sends it (cli/command/container/opts.go
 * parseSecurityOpts): `seccomp=<file>` is read here and sent as `seccomp=<compact JSON>`, because the daemon never
 * opens a client's paths; `unconfined`, `builtin` and every other option go as given. The deprecated
 * `seccomp:<file>` form is read too. A relative path is taken from `baseDir` (compose: the project directory).
 */
export async function securityOptRequest(options: string[] | undefined, baseDir = process.cwd()): Promise<string[] | undefined> {
  if (!options?.length) return undefined;
  return Promise.all(
    options.map(async (option) => {
      const match = /^seccomp[=:](.*)$/s.exec(option);
      if (!match || match[1] === 'unconfined' || match[1] === 'builtin') return option;
      const path = match[1];
      let text: string;
      try {
        text = await readFile(resolve(baseDir, path), 'utf8');
      } catch (error) {
        throw new InvalidArgumentError(`opening seccomp profile (${path}) failed: ${(error as Error).message}`, { cause: error });
      }
      try {
        return `seccomp=${JSON.stringify(JSON.parse(text))}`;
      } catch (error) {
        throw new InvalidArgumentError(`compacting json for seccomp profile (${path}) failed: ${(error as Error).message}`, { cause: error });
      }
    }),
  );
}
