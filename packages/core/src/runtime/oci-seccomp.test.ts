// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CAPABILITIES } from './default-spec.js';
import { hostSeccompArch, ociSeccomp } from './oci-seccomp.js';
import { DEFAULT_SECCOMP_PROFILE_PATH, parseSeccompProfile, readSeccompProfile } from './seccomp-profile.js';

/** A profile in Docker's format exercising each kind of condition, as Docker's and podman's defaults use them. */
const PROFILE = parseSeccompProfile(
  JSON.stringify({
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 38,
    archMap: [
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ],
    syscalls: [
      { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [], comment: '', includes: {}, excludes: {} },
      { names: ['swapon'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, args: null },
      { name: 'personality', action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 131080, op: 'SCMP_CMP_EQ' }] },
      { names: ['chroot'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_CHROOT'] } },
      { names: ['chroot'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: { caps: ['CAP_SYS_CHROOT'] } },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT'] } },
      { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64', 'x32'] } },
      { names: ['set_tls'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['arm', 'arm64'] } },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' }, excludes: { arches: ['s390x'] } },
      { names: ['old_ptrace'], action: 'SCMP_ACT_ALLOW', excludes: { minKernel: '4.8' } },
    ],
  }),
  'test profile',
);

const names = (caps: readonly string[], arch = 'amd64', kernelRelease = '6.1.0-18-amd64') =>
  ociSeccomp(PROFILE, { capabilities: caps, arch, kernelRelease }).syscalls?.map((rule) => `${rule.names.join(',')}:${rule.action}`);

describe('ociSeccomp', () => {
  it('keeps unconditional rules, with their errnoRet and args, and the default errno', () => {
    const seccomp = ociSeccomp(PROFILE, { capabilities: [], arch: 'amd64', kernelRelease: '6.1.0' });
    assert.equal(seccomp.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(seccomp.defaultErrnoRet, 38);
    assert.deepEqual(seccomp.syscalls?.slice(0, 3), [
      { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['swapon'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
      { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 131080, op: 'SCMP_CMP_EQ' }] },
    ]);
  });

  it('allows a syscall only with every capability its rule includes, and denies it to holders of none excluded', () => {
    assert.ok(names(DEFAULT_CAPABILITIES)?.includes('chroot:SCMP_ACT_ALLOW'));
    assert.ok(!names(DEFAULT_CAPABILITIES)?.includes('chroot:SCMP_ACT_ERRNO'));
    const without = names(DEFAULT_CAPABILITIES.filter((cap) => cap !== 'CAP_SYS_CHROOT'));
    assert.ok(without?.includes('chroot:SCMP_ACT_ERRNO') && !without.includes('chroot:SCMP_ACT_ALLOW'));
    assert.ok(!names(['CAP_SYS_ADMIN'])?.includes('mount:SCMP_ACT_ALLOW'), 'one of two included caps is not enough');
    assert.ok(names(['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT'])?.includes('mount:SCMP_ACT_ALLOW'));
  });

  it("takes the host's archMap entry with its sub-architectures, and rules for the host's arches only", () => {
    const amd64 = ociSeccomp(PROFILE, { capabilities: [], arch: 'amd64' });
    assert.deepEqual(amd64.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    assert.ok(names([], 'amd64')?.includes('arch_prctl:SCMP_ACT_ALLOW'));
    assert.ok(!names([], 'amd64')?.includes('set_tls:SCMP_ACT_ALLOW'));
    assert.deepEqual(ociSeccomp(PROFILE, { capabilities: [], arch: 'arm64' }).architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    assert.ok(names([], 'arm64')?.includes('set_tls:SCMP_ACT_ALLOW'));
    assert.ok(!names([], 's390x')?.includes('ptrace:SCMP_ACT_ALLOW'), 'excluded arch');
    // No entry for the host: libseccomp picks the native architecture.
    assert.equal(ociSeccomp(PROFILE, { capabilities: [], arch: 's390x' }).architectures, undefined);
  });

  it('compares major.minor of the kernel with minKernel', () => {
    assert.ok(names([], 'amd64', '4.8.0-rc5')?.includes('ptrace:SCMP_ACT_ALLOW'));
    assert.ok(!names([], 'amd64', '4.7.10')?.includes('ptrace:SCMP_ACT_ALLOW'));
    assert.ok(names([], 'amd64', '4.7.10')?.includes('old_ptrace:SCMP_ACT_ALLOW'));
    assert.ok(!names([], 'amd64', '10.1')?.includes('old_ptrace:SCMP_ACT_ALLOW'));
  });

  it('passes explicit architectures and flags through', () => {
    const profile = parseSeccompProfile(
      '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"flags":["SECCOMP_FILTER_FLAG_LOG"]}',
      'inline',
    );
    assert.deepEqual(ociSeccomp(profile, { capabilities: [] }), {
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      syscalls: [],
    });
  });

  it("resolves Debian's default profile for a default container on this host", async () => {
    const seccomp = ociSeccomp(await readSeccompProfile(DEFAULT_SECCOMP_PROFILE_PATH), { capabilities: DEFAULT_CAPABILITIES });
    const allowed = new Set(seccomp.syscalls?.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names));
    assert.ok(allowed.has('chroot') && allowed.has('read'));
    assert.ok(!allowed.has('bpf'), 'CAP_SYS_ADMIN rules left out');
    if (process.arch === 'x64') {
      assert.equal(hostSeccompArch(), 'amd64');
      assert.deepEqual(seccomp.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
      assert.ok(allowed.has('arch_prctl') && !allowed.has('set_tls'), 'rules for amd64 only');
    }
  });
});

describe('parseSeccompProfile', () => {
  const parse = (profile: unknown) => () => parseSeccompProfile(JSON.stringify(profile), 'p.json');

  it('names the profile and the field at fault', () => {
    assert.throws(() => parseSeccompProfile('{', 'p.json'), /^InvalidArgumentError: decoding seccomp profile \(p\.json\) failed: /);
    assert.throws(parse({ syscalls: [] }), /p\.json\) failed: defaultAction is not a non-empty string/);
    assert.throws(parse({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ action: 'SCMP_ACT_ALLOW' }] }), /syscalls\[0\]: no syscall names/);
    assert.throws(
      parse({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['a'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2 ** 60, op: 'SCMP_CMP_EQ' }] }] }),
      /syscalls\[0\]\.args\[0\]\.value is not an integer/,
    );
    assert.throws(parse({ defaultAction: 'SCMP_ACT_ALLOW', architectures: [], archMap: [] }), /'architectures' and 'archMap'/);
    assert.throws(parse({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ name: 'a', names: ['b'], action: 'SCMP_ACT_ALLOW' }] }), /'name' and 'names'/);
  });

  it('reads a missing file as an error naming it', async () => {
    await assert.rejects(readSeccompProfile('/nonexistent/seccomp.json'), /opening seccomp profile \(\/nonexistent\/seccomp\.json\) failed/);
  });
});
