// SPDX-License-Identifier: Apache-2.0
import { isAbsolute, posix } from 'node:path';
import type { MountSpec, MountType } from '../api/volume.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ContainerMount } from './container-mount.js';
import { validateVolumeName } from './volume-name.js';

/** A mount as requested, before its volume (if any) is looked up or created. */
export interface RequestedMount extends ContainerMount {
  /** Labels and driver options for a volume this mount creates (`--mount volume-label=…,volume-opt=…`). */
  volumeLabels?: Record<string, string>;
  driverOptions?: Record<string, string>;
}

/** Where a container's mounts come from in a create request. */
export interface MountSources {
  binds?: string[] | null;
  mounts?: MountSpec[] | null;
  tmpfs?: Record<string, string> | null;
  /** `Config.Volumes` merged with the image's `VOLUME`s: anonymous volumes unless something else is mounted there. */
  volumes?: Record<string, object> | null;
}

const PROPAGATIONS = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'];
const DEFAULT_PROPAGATION = 'rprivate';
const MODE_GROUPS: Record<string, string[]> = {
  access: ['rw', 'ro'],
  label: ['z', 'Z'],
  propagation: PROPAGATIONS,
  copy: ['nocopy'],
  consistency: ['consistent', 'cached', 'delegated'],
};

/**
 * Validates a create request's mounts and puts them in Docker's order of precedence (moby
 * `daemon/volumes.go registerMountPoints`): `Binds`, then `Mounts`, then anonymous volumes for the `Config.Volumes`
 * nothing else covers. A destination used twice is an error, `--tmpfs` ones included.
 */
export function parseMounts(sources: MountSources): RequestedMount[] {
  const mounts = [...(sources.binds ?? []).map(parseBind), ...(sources.mounts ?? []).map(parseMountSpec)];
  const taken = new Set<string>();
  for (const destination of [...mounts.map((m) => m.destination), ...Object.keys(sources.tmpfs ?? {}).map(parseTmpfsTarget)]) {
    if (taken.has(destination)) throw new InvalidArgumentError(`Duplicate mount point: ${destination}`);
    taken.add(destination);
  }
  for (const target of Object.keys(sources.volumes ?? {})) {
    const destination = checkTarget(target, 'volume');
    if (taken.has(destination)) continue;
    taken.add(destination);
    mounts.push({ type: 'volume', source: '', destination, readOnly: false, mode: '', propagation: '', copyData: true, anonymous: true });
  }
  return mounts;
}

/** `-v` / `HostConfig.Binds`: `/host:/ctr[:mode]`, `name:/ctr[:mode]` or `/ctr` (an anonymous volume). */
export function parseBind(raw: string): RequestedMount {
  const parts = raw.split(':');
  const invalid = () => new InvalidArgumentError(`invalid volume specification: '${raw}'`);
  if (parts.length > 3 || parts.some((p) => p === '')) throw invalid();
  // `/ctr:ro` would be a mode on an anonymous volume, which Docker refuses.
  if (parts.length === 2 && validMode(parts[1])) throw invalid();
  const [source, target, mode = ''] = parts.length === 1 ? ['', parts[0]] : parts;
  if (!validMode(mode)) throw new InvalidArgumentError(`invalid mode: ${mode}`);
  const modes = mode.split(',').filter(Boolean);
  const readOnly = modes.includes('ro');
  if (isAbsolute(source)) {
    if (modes.includes('nocopy')) throw new InvalidArgumentError(`invalid mode: ${mode}`);
    return {
      type: 'bind',
      source: posix.normalize(source),
      destination: checkTarget(target, 'bind'),
      readOnly,
      mode,
      propagation: modes.find((m) => PROPAGATIONS.includes(m)) ?? DEFAULT_PROPAGATION,
      createSource: true,
    };
  }
  return {
    type: 'volume',
    ...(source ? { name: validateVolumeName(source) } : { anonymous: true }),
    source: '',
    destination: checkTarget(target, 'volume'),
    readOnly,
    // Docker shows named `-v` volumes with the SELinux relabel mode it defaults to.
    mode: mode || (source ? 'z' : ''),
    propagation: '',
    copyData: !modes.includes('nocopy'),
  };
}

/** `--mount` / `HostConfig.Mounts`, checked as moby's `validateMountConfig` does. */
export function parseMountSpec(spec: MountSpec): RequestedMount {
  const type: MountType = spec.Type;
  const fail = (message: string) => new InvalidArgumentError(`invalid mount config for type "${type}": ${message}`);
  const forbid = (field: keyof MountSpec) => {
    if (spec[field] !== undefined && spec[field] !== null) throw fail(`field ${field} must not be specified`);
  };
  if (!spec.Target) throw fail('field Target must not be empty');
  const destination = checkTarget(spec.Target, type);
  const readOnly = spec.ReadOnly === true;
  switch (type) {
    case 'bind': {
      forbid('VolumeOptions');
      forbid('TmpfsOptions');
      if (!spec.Source) throw fail('field Source must not be empty');
      if (!isAbsolute(spec.Source)) throw fail(`invalid mount path: '${spec.Source}' mount path must be absolute`);
      const propagation = spec.BindOptions?.Propagation || DEFAULT_PROPAGATION;
      if (!PROPAGATIONS.includes(propagation)) throw fail(`invalid propagation mode: ${propagation}`);
      return {
        type, source: posix.normalize(spec.Source), destination, readOnly, mode: '', propagation,
        createSource: spec.BindOptions?.CreateMountpoint === true,
      };
    }
    case 'volume': {
      forbid('BindOptions');
      forbid('TmpfsOptions');
      const options = spec.VolumeOptions ?? {};
      const driver = options.DriverConfig?.Name;
      if (driver && driver !== 'local') throw fail(`volume driver "${driver}" is not supported, only "local"`);
      return {
        type,
        ...(spec.Source ? { name: validateVolumeName(spec.Source) } : { anonymous: true }),
        source: '', destination, readOnly, mode: spec.Source ? 'z' : '', propagation: '',
        copyData: options.NoCopy !== true,
        volumeLabels: options.Labels,
        driverOptions: options.DriverConfig?.Options,
      };
    }
    case 'tmpfs': {
      forbid('BindOptions');
      forbid('VolumeOptions');
      if (spec.Source) throw fail('field Source must not be specified');
      return { type, source: '', destination, readOnly, mode: '', propagation: '', tmpfsOptions: tmpfsOptionsOf(spec, readOnly) };
    }
    default:
      throw new InvalidArgumentError(`invalid mount config: mount type unknown: "${String(type)}"`);
  }
}

/** moby's `ConvertTmpfsOptions`: the size in the largest unit that divides it, the mode in octal. */
function tmpfsOptionsOf(spec: MountSpec, readOnly: boolean): string[] {
  const options: string[] = [];
  const size = spec.TmpfsOptions?.SizeBytes ?? 0;
  if (size < 0) throw new InvalidArgumentError(`invalid mount config for type "tmpfs": invalid tmpfs size: ${size}`);
  if (size > 0) {
    const unit = ([['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const).find(([, divisor]) => size % divisor === 0);
    options.push(unit ? `size=${size / unit[1]}${unit[0]}` : `size=${size}`);
  }
  const mode = spec.TmpfsOptions?.Mode ?? 0;
  if (mode !== 0) options.push(`mode=${mode.toString(8)}`);
  if (readOnly) options.push('ro');
  return options;
}

const TMPFS_FLAGS = new Set([
  'ro', 'rw', 'suid', 'nosuid', 'dev', 'nodev', 'exec', 'noexec', 'sync', 'async', 'dirsync', 'remount', 'mand', 'nomand',
  'atime', 'noatime', 'diratime', 'nodiratime', 'relatime', 'norelatime', 'strictatime', 'nostrictatime', 'lazytime',
  'nolazytime', 'bind', 'rbind', ...PROPAGATIONS, 'unbindable', 'runbindable',
]);
const TMPFS_DATA = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** `--tmpfs /path[:options]` as `HostConfig.Tmpfs` carries it: the options, checked as moby's `ParseTmpfsOptions`. */
export function parseTmpfsOptions(options: string): string[] {
  const list = options.split(',').filter(Boolean);
  const bad = list.filter((o) => !TMPFS_FLAGS.has(o) && !TMPFS_DATA.has(o.split('=')[0]));
  if (bad.length > 0) throw new InvalidArgumentError(`invalid tmpfs option ${JSON.stringify(bad)}`);
  return list;
}

function parseTmpfsTarget(target: string): string {
  return checkTarget(target, 'tmpfs');
}

function checkTarget(target: string, type: MountType): string {
  if (!isAbsolute(target)) {
    throw new InvalidArgumentError(`invalid mount config for type "${type}": invalid mount path: '${target}' mount path must be absolute`);
  }
  const destination = posix.normalize(target).replace(/(.)\/$/, '$1');
  if (destination === '/') throw new InvalidArgumentError(`invalid specification: destination can't be '/'`);
  return destination;
}

/** Whether `mode` is a comma-separated list with at most one word of each kind (moby `ValidMountMode`). */
function validMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = new Map<string, number>();
  for (const word of mode.split(',')) {
    const group = Object.keys(MODE_GROUPS).find((g) => MODE_GROUPS[g].includes(word));
    if (!group) return false;
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return [...counts.values()].every((n) => n === 1);
}
