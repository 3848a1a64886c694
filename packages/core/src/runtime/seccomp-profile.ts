// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors/engine-error.js';

/**
 * The profile containers get when nothing says otherwise: podman's default as Debian ships it (package
 * {@link SECCOMP_PROFILE_PACKAGE}), in the same format as Docker's built-in `profiles/seccomp/default.json`.
 */
export const DEFAULT_SECCOMP_PROFILE_PATH = '/usr/share/containers/seccomp.json';

/** The Debian package that installs {@link DEFAULT_SECCOMP_PROFILE_PATH}. */
export const SECCOMP_PROFILE_PACKAGE = 'golang-github-containers-common';

/**
 * A seccomp profile in Docker's format (moby `profiles/seccomp`), which `--security-opt seccomp=<file>` and
 * daemon.json's `seccomp-profile` take. Unlike the OCI form it is written for every host at once: rules carry
 * conditions on the container's capabilities, the host architecture and kernel, and `archMap` lists each
 * architecture's companions; {@link ociSeccomp} resolves them for one container.
 */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  /** Explicit architectures (the old form); a profile has these or {@link archMap}, not both. */
  architectures?: string[];
  archMap?: SeccompArchitecture[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls: SeccompRule[];
}

export interface SeccompArchitecture {
  architecture: string;
  subArchitectures: string[];
}

export interface SeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args: SeccompArg[];
  includes: SeccompCondition;
  excludes: SeccompCondition;
}

/** When a rule applies (`includes`: every capability, one of the arches) or does not (`excludes`: any of them). */
export interface SeccompCondition {
  /** `CAP_*` names, checked against the container's bounding set. */
  caps: string[];
  /** libseccomp's short names (`amd64`, `x86`, `arm64`, `s390x`, …), checked against the host's. */
  arches: string[];
  /** `major.minor`: the kernel the rule needs (`includes`) or no longer needs (`excludes`). */
  minKernel?: string;
}

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

/** Reads a profile file; `InvalidArgumentError` names the file when it cannot be read or is not a profile. */
export async function readSeccompProfile(path: string): Promise<SeccompProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`opening seccomp profile (${path}) failed: ${(error as Error).message}`, { cause: error });
  }
  return parseSeccompProfile(text, path);
}

/**
 * Parses and checks a profile, normalizing what Docker's format lets vary (`name` or `names`, absent or null
 * lists) so the translation need not; `source` names the profile in errors. Numbers must be exact in a double:
 * argument values past 2^53 would silently change on their way to config.json.
 */
export function parseSeccompProfile(text: string, source: string): SeccompProfile {
  const fail = (what: string): never => {
    throw new InvalidArgumentError(`decoding seccomp profile (${source}) failed: ${what}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail((error as Error).message);
  }
  const profile = object(json, 'the profile', fail);
  if (profile.architectures !== undefined && profile.archMap !== undefined) {
    fail("'architectures' and 'archMap' were both given: use one of them");
  }
  return {
    defaultAction: string(profile.defaultAction, 'defaultAction', fail),
    defaultErrnoRet: optional(profile.defaultErrnoRet, (v) => integer(v, 'defaultErrnoRet', fail)),
    architectures: optional(profile.architectures, (v) => strings(v, 'architectures', fail)),
    archMap: optional(profile.archMap, (v) =>
      list(v, 'archMap', fail).map((entry, i) => {
        const arch = object(entry, `archMap[${i}]`, fail);
        return {
          architecture: string(arch.architecture, `archMap[${i}].architecture`, fail),
          subArchitectures: optional(arch.subArchitectures, (s) => strings(s, `archMap[${i}].subArchitectures`, fail)) ?? [],
        };
      }),
    ),
    flags: optional(profile.flags, (v) => strings(v, 'flags', fail)),
    listenerPath: optional(profile.listenerPath, (v) => string(v, 'listenerPath', fail)),
    listenerMetadata: optional(profile.listenerMetadata, (v) => string(v, 'listenerMetadata', fail)),
    syscalls: (optional(profile.syscalls, (v) => list(v, 'syscalls', fail)) ?? []).map((entry, i) => rule(entry, `syscalls[${i}]`, fail)),
  };
}

type Fail = (what: string) => never;

function rule(value: unknown, at: string, fail: Fail): SeccompRule {
  const entry = object(value, at, fail);
  if (entry.name !== undefined && entry.names !== undefined) fail(`${at}: 'name' and 'names' were both given: use one of them`);
  const names = entry.name !== undefined ? [string(entry.name, `${at}.name`, fail)] : strings(entry.names ?? [], `${at}.names`, fail);
  if (names.length === 0) fail(`${at}: no syscall names`);
  return {
    names,
    action: string(entry.action, `${at}.action`, fail),
    errnoRet: optional(entry.errnoRet, (v) => integer(v, `${at}.errnoRet`, fail)),
    args: (optional(entry.args, (v) => list(v, `${at}.args`, fail)) ?? []).map((arg, j) => {
      const a = object(arg, `${at}.args[${j}]`, fail);
      const valueTwo = optional(a.valueTwo, (v) => integer(v, `${at}.args[${j}].valueTwo`, fail));
      return {
        index: integer(a.index, `${at}.args[${j}].index`, fail),
        value: integer(a.value, `${at}.args[${j}].value`, fail),
        ...(valueTwo !== undefined && { valueTwo }),
        op: string(a.op, `${at}.args[${j}].op`, fail),
      };
    }),
    includes: condition(entry.includes, `${at}.includes`, fail),
    excludes: condition(entry.excludes, `${at}.excludes`, fail),
  };
}

function condition(value: unknown, at: string, fail: Fail): SeccompCondition {
  const filter = optional(value, (v) => object(v, at, fail)) ?? {};
  return {
    caps: optional(filter.caps, (v) => strings(v, `${at}.caps`, fail)) ?? [],
    arches: optional(filter.arches, (v) => strings(v, `${at}.arches`, fail)) ?? [],
    minKernel: optional(filter.minKernel, (v) => {
      const version = string(v, `${at}.minKernel`, fail);
      return /^\d+\.\d+/.test(version) ? version : fail(`${at}.minKernel: "${version}" is not a kernel version (major.minor)`);
    }),
  };
}

/** Docker's profiles write absent fields as null (Go's nil slices) as often as they leave them out. */
function optional<T>(value: unknown, convert: (value: unknown) => T): T | undefined {
  return value === undefined || value === null || value === '' ? undefined : convert(value);
}

function object(value: unknown, at: string, fail: Fail): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(`${at} is not an object`);
}

function list(value: unknown, at: string, fail: Fail): unknown[] {
  return Array.isArray(value) ? value : fail(`${at} is not a list`);
}

function string(value: unknown, at: string, fail: Fail): string {
  return typeof value === 'string' && value !== '' ? value : fail(`${at} is not a non-empty string`);
}

function strings(value: unknown, at: string, fail: Fail): string[] {
  return list(value, at, fail).map((item, i) => string(item, `${at}[${i}]`, fail));
}

function integer(value: unknown, at: string, fail: Fail): number {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : fail(`${at} is not an integer from 0 to 2^53`);
}
