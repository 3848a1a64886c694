// SPDX-License-Identifier: Apache-2.0
import type { RawMap, RawValue } from './raw-value.js';

/** Thrown by the short-syntax parsers; the caller adds file, line and key. */
export class ShortSyntaxError extends Error {}

/**
 * A port as written in compose (`8080:80`, `127.0.0.1:5000-5010:5000-5010/udp`, `[::1]:80:80`, `3000`) as the
 * long-syntax entries docker compose prints, one per port of a range.
 */
export function parsePortSpec(spec: string | number): RawMap[] {
  if (typeof spec === 'number') return [portEntry('', '', String(spec), 'tcp')];
  let rest = spec.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) [rest, protocol] = [rest.slice(0, slash), rest.slice(slash + 1)];
  let hostIp = '';
  let parts: string[];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new ShortSyntaxError(`invalid port "${spec}": unclosed [`);
    hostIp = rest.slice(1, close);
    parts = rest.slice(close + 1).replace(/^:/, '').split(':');
  } else {
    parts = rest.split(':');
    if (parts.length > 2) [hostIp, parts] = [parts.slice(0, -2).join(':'), parts.slice(-2)];
  }
  const [published, target] = parts.length === 1 ? ['', parts[0]] : [parts[0], parts[1]];
  const targets = portRange(target, spec);
  if (!targets) throw new ShortSyntaxError(`invalid port "${spec}": no container port`);
  const publishedRange = published === '' ? undefined : portRange(published, spec);
  if (targets.length === 1) return [portEntry(hostIp, published, String(targets[0]), protocol)];
  if (!publishedRange) return targets.map((t) => portEntry(hostIp, '', String(t), protocol));
  if (publishedRange.length !== targets.length) {
    throw new ShortSyntaxError(`invalid port "${spec}": host and container port ranges differ in length`);
  }
  return targets.map((t, i) => portEntry(hostIp, String(publishedRange[i]), String(t), protocol));
}

function portRange(text: string, spec: string | number): number[] | undefined {
  if (text === '') return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new ShortSyntaxError(`invalid port "${spec}": "${text}" is not a port or port range`);
  const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
  if (to < from || to > 65535) throw new ShortSyntaxError(`invalid port "${spec}": bad range ${text}`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function portEntry(hostIp: string, published: string, target: string, protocol: string): RawMap {
  const entry: RawMap = { mode: 'ingress' };
  if (hostIp) entry.host_ip = hostIp;
  entry.target = Number(target);
  if (published) entry.published = published;
  entry.protocol = protocol;
  return entry;
}

/** A long-syntax port with docker compose's defaults and `published` as a string. */
export function completePort(port: RawMap): RawMap {
  const { mode = 'ingress', host_ip, target, published, protocol = 'tcp', ...rest } = port;
  const out: RawMap = { mode };
  if (host_ip) out.host_ip = host_ip;
  out.target = target;
  if (published !== undefined && published !== null && published !== '') out.published = String(published);
  out.protocol = protocol;
  return { ...out, ...rest };
}

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/** Whether a volume source is a host path (bind mount) rather than a volume name. */
export function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || WINDOWS_PATH.test(source);
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['cached', 'delegated', 'consistent']);

/** A short-syntax volume (`./src:/app:ro,z`, `data:/var/lib/x`, `/anon`) in long syntax. */
export function parseVolumeSpec(spec: string): RawMap {
  const drive = WINDOWS_PATH.test(spec) ? spec.slice(0, 2) : '';
  const parts = spec.slice(drive.length).split(':');
  let source = '';
  let target: string;
  let modes: string[] = [];
  if (parts.length === 1) target = parts[0];
  else if (parts.length === 2) [source, target] = parts;
  else [source, target, modes] = [parts.slice(0, -2).join(':'), parts[parts.length - 2], parts[parts.length - 1].split(',')];
  source = drive + source;
  if (!target) throw new ShortSyntaxError(`invalid volume "${spec}": no container path`);
  const type = source === '' ? 'volume' : isHostPath(source) ? 'bind' : 'volume';
  const volume: RawMap = { type };
  if (source) volume.source = source;
  volume.target = target;
  if (modes.includes('ro')) volume.read_only = true;
  const consistency = modes.find((m) => CONSISTENCY.has(m));
  if (consistency) volume.consistency = consistency;
  if (type === 'bind') {
    const bind: RawMap = { create_host_path: true };
    const propagation = modes.find((m) => PROPAGATION.has(m));
    if (propagation) bind.propagation = propagation;
    const selinux = modes.find((m) => m === 'z' || m === 'Z');
    if (selinux) bind.selinux = selinux;
    volume.bind = bind;
  } else {
    volume.volume = modes.includes('nocopy') ? { nocopy: true } : {};
  }
  const unknown = modes.find((m) => !['ro', 'rw', 'z', 'Z', 'nocopy', ...PROPAGATION, ...CONSISTENCY].includes(m));
  if (unknown !== undefined) throw new ShortSyntaxError(`invalid volume "${spec}": unknown mode "${unknown}"`);
  return volume;
}

/** `KEY=VALUE` list items (environment, labels, args…) as a mapping; a bare `KEY` maps to `bare`. */
export function listToMap(list: RawValue[], bare: null | string): RawMap {
  const out: RawMap = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq < 0) out[text] = bare;
    else out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}
