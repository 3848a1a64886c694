// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import type { Ulimit } from '../api/run-options.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciProcess } from './oci-spec.js';

type OciRlimit = NonNullable<OciProcess['rlimits']>[number];

/**
 * Docker's ulimit names (go-units `ulimitNameMapping`) by the label /proc/<pid>/limits gives each. `as` is left
 * out as Docker leaves it out: a container's init cannot run under the limits it would be given.
 */
const LIMIT_LABELS: Record<string, string> = {
  core: 'Max core file size', cpu: 'Max cpu time', data: 'Max data size', fsize: 'Max file size',
  locks: 'Max file locks', memlock: 'Max locked memory', msgqueue: 'Max msgqueue size', nice: 'Max nice priority',
  nofile: 'Max open files', nproc: 'Max processes', rss: 'Max resident set', rtprio: 'Max realtime priority',
  rttime: 'Max realtime timeout', sigpending: 'Max pending signals', stack: 'Max stack size',
};

/** A limit's soft and hard value; `Infinity` is RLIM_INFINITY ("unlimited"). */
export interface LimitPair {
  soft: number;
  hard: number;
}

/** The limits a process has, by ulimit name, read from a /proc/<pid>/limits text. */
export function parseProcLimits(text: string): Map<string, LimitPair> {
  const byLabel = new Map<string, LimitPair>();
  for (const line of text.split('\n').slice(1)) {
    // Labels have single spaces, columns are padded with several.
    const [label, soft, hard] = line.trim().split(/\s{2,}/);
    if (label && soft && hard) byLabel.set(label, { soft: limitValue(soft), hard: limitValue(hard) });
  }
  const limits = new Map<string, LimitPair>();
  for (const [name, label] of Object.entries(LIMIT_LABELS)) {
    const pair = byLabel.get(label);
    if (pair) limits.set(name, pair);
  }
  return limits;
}

/** The daemon's own limits, which its containers inherit: the most a container's hard limits can be. */
export async function daemonLimits(): Promise<Map<string, LimitPair>> {
  return parseProcLimits(await readFile('/proc/self/limits', 'utf8'));
}

/**
 * Checks `HostConfig.Ulimits` against Docker's rules (go-units `ParseUlimit`) and against `limits`, the daemon's:
 * a process may lower its hard limits but never raise them without CAP_SYS_RESOURCE, which the engine does not
 * count on, so a request above the daemon's hard limit is refused here rather than clamped or failed by the
 * runtime with a bare EPERM.
 */
export function validateUlimits(ulimits: Ulimit[] | null | undefined, limits: Map<string, LimitPair>): void {
  const seen = new Set<string>();
  for (const ulimit of ulimits ?? []) {
    const { Name: name } = ulimit;
    if (!(name in LIMIT_LABELS)) throw new InvalidArgumentError(`invalid ulimit type: ${name}`);
    if (seen.has(name)) throw new InvalidArgumentError(`ulimit ${name} is given more than once`);
    seen.add(name);
    const soft = ulimitValue(ulimit.Soft, name);
    const hard = ulimitValue(ulimit.Hard, name);
    if (soft > hard) {
      throw new InvalidArgumentError(`ulimit soft limit must be less than or equal to hard limit: ${show(soft)} > ${show(hard)}`);
    }
    const max = limits.get(name)?.hard ?? Infinity;
    if (hard > max) {
      throw new InvalidArgumentError(
        `ulimit ${name}: the hard limit ${show(hard)} is above the daemon's own hard limit ${show(max)}, and a limit can ` +
          `only be lowered: use at most ${name}=${show(Math.min(soft, max))}:${show(max)}`,
      );
    }
  }
}

/** `process.rlimits` for the spec; run {@link validateUlimits} first. */
export function ociRlimits(ulimits: Ulimit[] | null | undefined): OciRlimit[] | undefined {
  if (!ulimits?.length) return undefined;
  return ulimits.map((u) => ({
    type: `RLIMIT_${u.Name.toUpperCase()}`,
    soft: ulimitValue(u.Soft, u.Name),
    hard: ulimitValue(u.Hard, u.Name),
  }));
}

/** Docker's `-1` (and anything negative, as Go's uint64 conversion makes it) is unlimited. */
function ulimitValue(value: number, name: string): number {
  if (!Number.isInteger(value)) throw new InvalidArgumentError(`ulimit ${name}: ${value} is not a whole number`);
  return value < 0 ? Infinity : value;
}

function limitValue(text: string): number {
  return text === 'unlimited' ? Infinity : Number(text);
}

function show(value: number): string {
  return value === Infinity ? 'unlimited' : String(value);
}
