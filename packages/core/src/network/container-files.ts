// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciMount } from '../runtime/oci-spec.js';

/** The three files Docker generates for each container, under the container's directory, bind-mounted into it. */
export interface ContainerFilesOptions {
  directory: string;
  hostname: string;
  /** The container's primary address; none for `none`. */
  address?: string;
  /** The embedded resolver's address (user-defined networks); else the host's resolvers are used. */
  nameserver?: string;
  /** `host` mode: the host's own `/etc/hosts`. */
  hostHosts?: boolean;
  /** Used when the host has only loopback resolvers, which a container cannot reach (Docker's fallback). */
  fallbackNameservers?: string[];
  /** `--add-host` entries, `host:ip` (or `host=ip`), appended to `hosts`. */
  extraHosts?: string[];
}

const LOCAL_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

const DOCKER_FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

export const CONTAINER_FILES = { hosts: '/etc/hosts', resolvConf: '/etc/resolv.conf', hostname: '/etc/hostname' } as const;

/** Writes `hosts`, `resolv.conf` and `hostname` and returns the mounts that put them in place. */
export async function writeContainerFiles(options: ContainerFilesOptions): Promise<OciMount[]> {
  const hostsPath = join(options.directory, 'hosts');
  const resolvPath = join(options.directory, 'resolv.conf');
  const hostnamePath = join(options.directory, 'hostname');
  const hosts = (options.hostHosts
    ? await readFile('/etc/hosts', 'utf8').catch(() => `${LOCAL_HOSTS.join('\n')}\n`)
    : `${[...LOCAL_HOSTS, ...(options.address ? [`${options.address}\t${options.hostname}`] : [])].join('\n')}\n`) +
    (options.extraHosts ?? []).map((entry) => `${extraHostLine(entry)}\n`).join('');
  await Promise.all([
    writeFile(hostsPath, hosts),
    writeFile(resolvPath, await resolvConf(options)),
    writeFile(hostnamePath, `${options.hostname}\n`),
  ]);
  return [
    bindMount(hostsPath, CONTAINER_FILES.hosts),
    bindMount(resolvPath, CONTAINER_FILES.resolvConf),
    bindMount(hostnamePath, CONTAINER_FILES.hostname),
  ];
}

/**
 * With an embedded resolver: only it (`ndots:0` as Docker writes, so a bare container name is asked as is).
 * Otherwise the host's file without loopback resolvers, which mean nothing inside the container's namespace.
 */
async function resolvConf(options: ContainerFilesOptions): Promise<string> {
  if (options.nameserver) return `nameserver ${options.nameserver}\noptions ndots:0\n`;
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  if (options.hostHosts) return host;
  const lines = host.split('\n').filter((line) => !/^\s*nameserver\s+(127\.|::1\s*$)/.test(line));
  const kept = lines.filter((line) => /^\s*nameserver\s/.test(line));
  if (kept.length === 0) {
    lines.push(...(options.fallbackNameservers ?? DOCKER_FALLBACK_NAMESERVERS).map((ns) => `nameserver ${ns}`));
  }
  return `${lines.filter((line) => line.trim() !== '').join('\n')}\n`;
}

/** An IPv6 address has colons of its own, so the name ends at the first separator. */
function extraHostLine(entry: string): string {
  const separator = entry.includes('=') ? entry.indexOf('=') : entry.indexOf(':');
  const host = entry.slice(0, separator);
  const ip = entry.slice(separator + 1).replace(/^\[(.*)\]$/, '$1');
  if (separator <= 0 || ip === '') throw new InvalidArgumentError(`invalid extra host entry '${entry}': expected host:ip`);
  return `${ip}\t${host}`;
}

function bindMount(source: string, destination: string): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', 'rprivate'] };
}
