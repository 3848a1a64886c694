// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Installs the Debian packages a test needs that are not installed yet, so tests never skip for a missing tool.
 * Parallel test processes may race for dpkg's lock: apt-get waits for it instead of failing.
 */
export async function ensurePackages(...names: string[]): Promise<void> {
  const missing = (await Promise.all(names.map(async (name) => ((await isInstalled(name)) ? undefined : name))))
    .filter((name): name is string => name !== undefined);
  if (missing.length === 0) return;
  const install = () =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    await install();
  } catch {
    // A stale package index is the usual cause; refresh it once.
    await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { maxBuffer: 64 * 1024 * 1024 });
    await install();
  }
}

async function isInstalled(name: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f', '${Status}', name]);
    return stdout.trim() === 'install ok installed';
  } catch {
    return false;
  }
}
