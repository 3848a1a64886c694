// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import type { ContainerRunOptions } from '../api/run-options.js';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** `--dns`, `--dns-search` and `--dns-option`: each, when given, replaces the host's entries of its kind. */
export type DnsSettings = Pick<ContainerRunOptions, 'Dns' | 'DnsSearch' | 'DnsOptions'>;

/** How a container resolves names, which decides the nameservers its resolv.conf lists. */
export type ResolverMode =
  /** On a user-defined network: only the embedded resolver at this address. */
  | { kind: 'embedded'; nameserver: string }
  /** The host's network namespace: the host's resolvers, loopback ones included, reach the same servers. */
  | { kind: 'host' }
  /** Default bridge or none: loopback resolvers mean nothing in the container's namespace and are dropped. */
  | { kind: 'legacy'; fallbackNameservers: readonly string[] };

interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
  /** Every other line (`domain`, `sortlist`, comments), kept as written. */
  other: string[];
}

/**
 * A container's resolv.conf as moby's sandbox writes it (libnetwork `loadResolvConf`, `TransformForIntNS`,
 * `TransformForLegacyNw`): the host's file, with the user's nameservers, search domains and options over the
 * host's, then the nameservers the container can use. With the embedded resolver, which then forwards to the
 * user's servers, `ndots:0` is added unless an `ndots` is given, so a bare container name is asked as is.
 */
export function containerResolvConf(hostFile: string, dns: DnsSettings, mode: ResolverMode): string {
  const conf = parseResolvConf(hostFile);
  if (dns.Dns?.length) conf.nameservers = [...dns.Dns];
  // `--dns-search .` is Docker's way to ask for no search domains at all.
  if (dns.DnsSearch?.length) conf.search = dns.DnsSearch.filter((domain) => domain !== '.');
  if (dns.DnsOptions?.length) conf.options = [...dns.DnsOptions];
  if (mode.kind === 'embedded') {
    conf.nameservers = [mode.nameserver];
    if (!conf.options.some((option) => option.startsWith('ndots:'))) conf.options.push('ndots:0');
  } else if (mode.kind === 'legacy') {
    conf.nameservers = conf.nameservers.filter((ns) => !isLoopback(ns));
    if (conf.nameservers.length === 0) conf.nameservers = [...mode.fallbackNameservers];
  }
  return [
    ...conf.nameservers.map((ns) => `nameserver ${ns}`),
    ...(conf.search.length > 0 ? [`search ${conf.search.join(' ')}`] : []),
    ...(conf.options.length > 0 ? [`options ${conf.options.join(' ')}`] : []),
    ...conf.other,
  ].map((line) => `${line}\n`).join('');
}

/**
 * The host's resolvers the embedded resolver forwards to when daemon.json names none. Loopback ones are left out,
 * as Docker leaves them out; IPv6 ones too, since it forwards over UDP/IPv4.
 */
export function upstreamNameservers(hostFile: string): string[] {
  return parseResolvConf(hostFile).nameservers.filter((ns) => isIP(ns) === 4 && !isLoopback(ns));
}

/** Checks the settings at create (docker's CLI checks them too, with these words). */
export function validateDnsSettings(dns: DnsSettings): void {
  for (const server of dns.Dns ?? []) {
    if (isIP(server) === 0) throw new InvalidArgumentError(`bad nameserver address ${server}: not an IP address`);
  }
  for (const domain of dns.DnsSearch ?? []) {
    if (domain !== '.' && !(/[a-zA-Z]/.test(domain) && DOMAIN.test(domain) && domain.length < 255)) {
      throw new InvalidArgumentError(`${domain} is not a valid domain`);
    }
  }
}

/** docker/cli `opts.validateDomain`: dot-separated labels of letters, digits and inner hyphens, a final dot allowed. */
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\.?$/;

function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], options: [], other: [] };
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [keyword, ...values] = line.split(/\s+/);
    // The last search (or domain) line wins in glibc; options accumulate.
    if (keyword === 'nameserver' && values[0]) conf.nameservers.push(values[0]);
    else if (keyword === 'search') conf.search = values;
    else if (keyword === 'options') conf.options.push(...values);
    else conf.other.push(line);
  }
  return conf;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}
