// SPDX-License-Identifier: Apache-2.0
import type { PortBinding, PortMap } from '../api/network.js';
import { InvalidArgumentError } from '../errors/engine-error.js';

export type PortProtocol = 'tcp' | 'udp';

/** What `-p` flags become in a create request: `ExposedPorts` and `HostConfig.PortBindings`. */
export interface ParsedPortSpecs {
  exposedPorts: Record<string, object>;
  portBindings: PortMap;
}

/**
 * Parses `-p` values as docker's CLI does (go-connections `nat.ParsePortSpecs`): `[ip:][hostPort:]containerPort
 * [/proto]`, where ports may be ranges (`8000-8002:80-82`, or `8000-8010:80` for "one free port of the range").
 */
export function parsePortSpecs(specs: string[]): ParsedPortSpecs {
  const exposedPorts: Record<string, object> = {};
  const portBindings: PortMap = {};
  for (const spec of specs) {
    const [body, protoText = 'tcp'] = splitOnce(spec, '/');
    const proto = parseProtocol(protoText, spec);
    const { ip, host, container } = splitAddress(body, spec);
    const containerRange = parseRange(container, spec);
    const hostRange = host === '' ? undefined : parseRange(host, spec);
    const hostCount = hostRange ? hostRange[1] - hostRange[0] + 1 : 0;
    const containerCount = containerRange[1] - containerRange[0] + 1;
    if (hostRange && hostCount !== containerCount && containerCount !== 1) {
      throw new InvalidArgumentError(`invalid ranges specified for container and host ports: ${spec}`);
    }
    for (let i = 0; i < containerCount; i++) {
      const key = `${containerRange[0] + i}/${proto}`;
      exposedPorts[key] = {};
      let hostPort = '';
      if (hostRange) hostPort = containerCount === 1 && hostCount > 1 ? `${hostRange[0]}-${hostRange[1]}` : String(hostRange[0] + i);
      (portBindings[key] ??= []).push({ HostIp: ip, HostPort: hostPort });
    }
  }
  return { exposedPorts, portBindings };
}

/** `80/tcp` → port and protocol; a key without protocol means tcp, as in Docker. */
export function parsePortKey(key: string): { port: number; protocol: PortProtocol } {
  const [portText, protoText = 'tcp'] = splitOnce(key, '/');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new InvalidArgumentError(`invalid port: ${key}`);
  return { port, protocol: parseProtocol(protoText, key) };
}

/** `PortBindings` with keys as `port/proto` and host ports checked, so later stages can trust them. */
export function normalizePortBindings(bindings: PortMap | null | undefined): PortMap {
  const normalized: PortMap = {};
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, protocol } = parsePortKey(key);
    normalized[`${port}/${protocol}`] = (list ?? [{ HostIp: '', HostPort: '' }]).map((binding: PortBinding) => {
      const hostPort = binding.HostPort ?? '';
      if (hostPort !== '' && hostPort !== '0') parseRange(hostPort, `${key}: host port ${hostPort}`);
      return { HostIp: binding.HostIp ?? '', HostPort: hostPort === '0' ? '' : hostPort };
    });
  }
  return normalized;
}

/** `8000` or `8000-8002` as an inclusive range. */
export function parseRange(text: string, context: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const start = Number(match?.[1]);
  const end = match?.[2] === undefined ? start : Number(match[2]);
  if (!match || start < 1 || end > 65535 || end < start) throw new InvalidArgumentError(`invalid port range: ${context}`);
  return [start, end];
}

function splitAddress(body: string, spec: string): { ip: string; host: string; container: string } {
  // An IPv6 host address comes in brackets: `[::1]:80:80`.
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(body);
  const [ip, rest] = bracket ? [bracket[1], bracket[2]] : ['', body];
  const parts = rest.split(':');
  if (!bracket && parts.length === 3) return { ip: parts[0], host: parts[1], container: parts[2] };
  if (parts.length === 2) return { ip, host: parts[0], container: parts[1] };
  if (parts.length === 1 && !bracket) return { ip, host: '', container: parts[0] };
  throw new InvalidArgumentError(`invalid port specification: "${spec}"`);
}

function parseProtocol(text: string, context: string): PortProtocol {
  const proto = text.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') throw new InvalidArgumentError(`invalid protocol "${text}" in ${context}: only tcp and udp are supported`);
  return proto;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.lastIndexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
