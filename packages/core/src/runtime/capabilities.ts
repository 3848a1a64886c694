// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** Every capability Linux knows, in capability.h bit order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/**
 * What `ALL` and `--privileged` stand for: the capabilities in the engine's own bounding set. An engine that runs
 * in a container without some (CAP_SYS_RESOURCE, say) cannot hand them on, and the runtime fails if asked to.
 */
export async function grantableCapabilities(): Promise<string[]> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const bounding = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (bounding === undefined) return [...ALL_CAPABILITIES];
  const mask = BigInt(`0x${bounding}`);
  return ALL_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all name CAP_NET_ADMIN, as Docker accepts; `ALL` stays `ALL`. */
function normalize(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return upper;
  const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(cap)) throw new InvalidArgumentError(`unknown capability: "${name}"`);
  return cap;
}

/**
 * Docker's TweakCapabilities (moby `oci/caps/utils.go`): start from `base`, or `all` when `ALL` is added;
 * drop what is dropped (`ALL` drops everything), then add what is added; an add wins over a drop of `ALL`.
 */
export function containerCapabilities(base: readonly string[], all: readonly string[], add: string[] = [], drop: string[] = []): string[] {
  const adds = add.map(normalize);
  const drops = drop.map(normalize);
  if (adds.includes('ALL')) return all.filter((cap) => !drops.includes(cap));
  const kept = drops.includes('ALL') ? [] : base.filter((cap) => !drops.includes(cap));
  return [...kept, ...adds.filter((cap) => !kept.includes(cap))];
}
