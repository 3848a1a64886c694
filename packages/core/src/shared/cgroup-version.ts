// SPDX-License-Identifier: Apache-2.0
import { statfsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `2` on a unified (pure cgroup v2) host, `1` on a legacy or hybrid one. A hybrid host mounts v1 controllers as
 * directories of a tmpfs at /sys/fs/cgroup and only `unified/` (or nothing) as v2, so the root holds no
 * `cgroup.controllers`.
 */
export async function detectCgroupVersion(root = '/sys/fs/cgroup'): Promise<'1' | '2'> {
  try {
    await access(`${root}/cgroup.controllers`);
    return '2';
  } catch {
    return '1';
  }
}

/**
 * How the host mounts cgroups: `unified` (cgroup v2 at the root), `hybrid` (v1 controllers plus a v2 hierarchy at
 * `unified/`, as on these Debian hosts booted with systemd's hybrid layout) or `legacy` (v1 only). Synchronous
 * (statfs) so a runtime can decide how it must be invoked when it is built.
 */
export type CgroupMode = 'unified' | 'hybrid' | 'legacy';

const CGROUP2_SUPER_MAGIC = 0x63677270;

export function detectCgroupMode(root = '/sys/fs/cgroup'): CgroupMode {
  const isCgroup2 = (path: string): boolean => {
    try {
      return statfsSync(path).type === CGROUP2_SUPER_MAGIC;
    } catch {
      return false;
    }
  };
  if (isCgroup2(root)) return 'unified';
  return isCgroup2(join(root, 'unified')) ? 'hybrid' : 'legacy';
}
