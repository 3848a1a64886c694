// SPDX-License-Identifier: Apache-2.0
import { access } from 'node:fs/promises';

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
