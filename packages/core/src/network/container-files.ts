// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciMount } from '../runtime/oci-spec.js';
import { containerResolvConf, type DnsSettings } from './resolv-conf.js';

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
  /** `--dns`, `--dns-search`, `--dns-option`. */
  dns?: DnsSettings;
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
  const hosts = (options.hostHosts
    ? await readFile('/etc/hosts', 'utf8').catch(() => `${LOCAL_HOSTS.join('\n')}\n`)
    : `${[...LOCAL_HOSTS, ...(options.address ? [`${options.address}\t${options.hostname}`] : [])].join('\n')}\n`) +
    (options.extraHosts ?? []).map((entry) => `${extraHostLine(entry)}\n`).join('');
  await Promise.all([
    writeFile(join(options.directory, 'hosts'), hosts),
    writeResolvConf(options.directory, await resolvConf(options)),
    writeFile(join(options.directory, 'hostname'), `${options.hostname}\n`),
  ]);
  return containerFileMounts(options.directory);
}

/**
 * The mounts of the files written under `directory`: a container's own, or those of the container whose network
 * namespace another one joins (`--network container:x` shares them, as Docker does).
 */
export function containerFileMounts(directory: string): OciMount[] {
  return [
    bindMount(join(directory, 'hosts'), CONTAINER_FILES.hosts),
    bindMount(join(directory, 'resolv.conf'), CONTAINER_FILES.resolvConf),
    bindMount(join(directory, 'hostname'), CONTAINER_FILES.hostname),
  ];
}

/**
 * Points a running container's resolv.conf at the embedded resolver `nameserver`, as moby's sandbox does when a
 * container first joins a network that has one (`rebuildDNS`), unless someone changed the file since the engine
 * wrote it: moby leaves a user-modified file alone too. The file is rewritten in place, the same inode the
 * container's bind mount shows.
 */
export async function switchToEmbeddedDns(directory: string, nameserver: string, dns: DnsSettings = {}): Promise<void> {
  const [current, written] = await Promise.all([
    readFile(join(directory, 'resolv.conf'), 'utf8').catch(() => undefined),
    readFile(join(directory, RESOLV_CONF_HASH), 'utf8').catch(() => undefined),
  ]);
  if (current === undefined || sha256(current) !== written) return;
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  await writeResolvConf(directory, containerResolvConf(host, dns, { kind: 'embedded', nameserver }));
}

/** Beside resolv.conf, the digest of what the engine wrote there, which tells a user's edit apart (moby's hash file). */
const RESOLV_CONF_HASH = 'resolv.conf.hash';

async function writeResolvConf(directory: string, content: string): Promise<void> {
  await writeFile(join(directory, 'resolv.conf'), content);
  await writeFile(join(directory, RESOLV_CONF_HASH), sha256(content));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The host's file made the container's (see {@link containerResolvConf}). */
async function resolvConf(options: ContainerFilesOptions): Promise<string> {
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  return containerResolvConf(host, options.dns ?? {}, options.nameserver
    ? { kind: 'embedded', nameserver: options.nameserver }
    : options.hostHosts
      ? { kind: 'host' }
      : { kind: 'legacy', fallbackNameservers: options.fallbackNameservers ?? DOCKER_FALLBACK_NAMESERVERS });
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
