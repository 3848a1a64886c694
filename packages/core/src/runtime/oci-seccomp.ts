// SPDX-License-Identifier: Apache-2.0
import { arch as nodeArch, endianness, release } from 'node:os';
import type { OciSeccomp, OciSyscallRule } from './oci-spec.js';
import type { SeccompCondition, SeccompProfile } from './seccomp-profile.js';

/** The container and host a profile is resolved for. */
export interface SeccompTarget {
  /** The container's bounding capabilities (`CAP_*`), which decide `includes.caps` / `excludes.caps`. */
  capabilities: readonly string[];
  /** libseccomp's short name of the host architecture (`amd64`, `arm64`, …); defaults to this host's. */
  arch?: string;
  /** `uname -r`; defaults to this host's. */
  kernelRelease?: string;
}

/** libseccomp's short architecture names and their `SCMP_ARCH_*` constants (runtime-spec config-linux.md). */
const SCMP_ARCH: Record<string, string> = {
  x86: 'SCMP_ARCH_X86',
  amd64: 'SCMP_ARCH_X86_64',
  x32: 'SCMP_ARCH_X32',
  arm: 'SCMP_ARCH_ARM',
  arm64: 'SCMP_ARCH_AARCH64',
  mips: 'SCMP_ARCH_MIPS',
  mipsel: 'SCMP_ARCH_MIPSEL',
  mips64: 'SCMP_ARCH_MIPS64',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  ppc: 'SCMP_ARCH_PPC',
  ppc64: 'SCMP_ARCH_PPC64',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390: 'SCMP_ARCH_S390',
  s390x: 'SCMP_ARCH_S390X',
  riscv64: 'SCMP_ARCH_RISCV64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
};

/** Node's `os.arch()` in libseccomp's words, which is what profiles' `arches` conditions use. */
export function hostSeccompArch(): string {
  const node = nodeArch();
  const little = endianness() === 'LE';
  const names: Record<string, string> = {
    x64: 'amd64',
    ia32: 'x86',
    ppc64: little ? 'ppc64le' : 'ppc64',
    mips: little ? 'mipsel' : 'mips',
    mipsel: 'mipsel',
    mips64: little ? 'mipsel64' : 'mips64',
    mips64el: 'mipsel64',
  };
  return names[node] ?? node;
}

/**
 * Resolves a Docker-format profile for one container into OCI `linux.seccomp`, with Docker's semantics
 * (moby `profiles/seccomp/seccomp_linux.go`):
 *
 * - architectures: the profile's explicit list, or the `archMap` entry of the host architecture with its
 *   sub-architectures (so 32-bit binaries keep working on a 64-bit host); no entry leaves the choice to libseccomp.
 * - a rule is dropped when the host arch is in `excludes.arches`, the container holds any of `excludes.caps`, or
 *   the kernel is at least `excludes.minKernel`; and kept only if the host arch is in `includes.arches` (when
 *   given), the container holds every one of `includes.caps`, and the kernel is at least `includes.minKernel`.
 *
 * That is how one profile allows `chroot` only to containers with CAP_SYS_CHROOT and denies it to the others.
 */
export function ociSeccomp(profile: SeccompProfile, target: SeccompTarget): OciSeccomp {
  const arch = target.arch ?? hostSeccompArch();
  const kernel = kernelVersion(target.kernelRelease ?? release());
  const applies = (condition: SeccompCondition, included: boolean): boolean => {
    const archMatch = condition.arches.includes(arch);
    const caps = condition.caps.filter((cap) => target.capabilities.includes(cap));
    const newEnough = condition.minKernel === undefined ? undefined : compareVersions(kernel, kernelVersion(condition.minKernel)) >= 0;
    return included
      ? (condition.arches.length === 0 || archMatch) && caps.length === condition.caps.length && newEnough !== false
      : archMatch || caps.length > 0 || newEnough === true;
  };
  const hostEntry = profile.archMap?.find((entry) => entry.architecture === SCMP_ARCH[arch]);
  const architectures = profile.architectures ?? (hostEntry ? [hostEntry.architecture, ...hostEntry.subArchitectures] : undefined);
  const syscalls = profile.syscalls
    .filter((rule) => applies(rule.includes, true) && !applies(rule.excludes, false))
    .map(({ names, action, errnoRet, args }): OciSyscallRule => ({
      names: [...names],
      action,
      ...(errnoRet !== undefined && { errnoRet }),
      ...(args.length > 0 && { args: args.map((arg) => ({ ...arg })) }),
    }));
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined && { defaultErrnoRet: profile.defaultErrnoRet }),
    ...(architectures !== undefined && architectures.length > 0 && { architectures: [...architectures] }),
    ...(profile.flags !== undefined && profile.flags.length > 0 && { flags: [...profile.flags] }),
    ...(profile.listenerPath !== undefined && { listenerPath: profile.listenerPath }),
    ...(profile.listenerMetadata !== undefined && { listenerMetadata: profile.listenerMetadata }),
    syscalls,
  };
}

/** `major.minor` of a kernel release: `6.1.0-18-amd64` and `6.1-rc5` are both 6.1, as Docker compares them. */
function kernelVersion(release: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(release);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function compareVersions(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
