// SPDX-License-Identifier: Apache-2.0
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The absolute path of an executable, looked up in PATH like a shell does, or undefined. Synchronous on purpose:
 * it runs once when a plugin is built, never per container, and keeps `Runtime.command()` synchronous.
 */
export function findExecutable(name: string, searchPath = process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'): string | undefined {
  const candidates = isAbsolute(name) ? [name] : searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

const hostTools = new Map<string, string>();

/**
 * The absolute path of a host tool the engine spawns often (`mount`, `umount`, `ip`, `iptables`), looked up once per
 * process: spawning a bare name makes the child try every PATH entry in turn, and a developer's PATH starts with
 * directories (`~/.cargo/bin`, pyenv shims) that never hold them. A tool not found stays a bare name, so spawning it
 * fails as it did before.
 */
export function hostTool(name: string): string {
  let path = hostTools.get(name);
  if (path === undefined) {
    path = findExecutable(name) ?? name;
    hostTools.set(name, path);
  }
  return path;
}
