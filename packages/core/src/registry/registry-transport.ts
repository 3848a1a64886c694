// SPDX-License-Identifier: Apache-2.0
import { lookup as dnsLookup } from 'node:dns';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { defaultAgents, type RegistryHttpAgents } from './registry-http.js';

export interface RegistryTransportOptions {
  /**
   * A `certs.d` directory as Docker's `/etc/docker/certs.d`: every `*.crt` in `<certsDir>/<host:port>/` is a CA
   * trusted, besides the system's, for that registry (and the token server it sends clients to).
   */
  certsDir?: string;
  /**
   * Registry host names and the addresses they are reached at, instead of asking DNS (as curl's `--resolve`):
   * TLS still checks the certificate against the name.
   */
  hostAliases?: Record<string, string>;
}

/**
 * The HTTP agents each registry host is reached with: keep-alive connections trusting the host's certs.d CAs and
 * resolving configured aliases. Hosts with neither share the process-wide agents; the others get agents of their
 * own, made once.
 */
export class RegistryTransport {
  private readonly agents = new Map<string, Promise<RegistryHttpAgents>>();
  private readonly lookup?: LookupFunction;

  constructor(private readonly options: RegistryTransportOptions = {}) {
    const aliases = new Map(Object.entries(options.hostAliases ?? {}).map(([name, address]) => [name.toLowerCase(), address]));
    if (aliases.size > 0) this.lookup = aliasLookup(aliases);
  }

  /** The agents for `domain` (`host:port` as references write it). */
  agentsFor(domain: string): Promise<RegistryHttpAgents> {
    let agents = this.agents.get(domain);
    if (!agents) {
      agents = this.makeAgents(domain);
      this.agents.set(domain, agents);
    }
    return agents;
  }

  private async makeAgents(domain: string): Promise<RegistryHttpAgents> {
    const cas = this.options.certsDir ? await readCertificates(join(this.options.certsDir, domain)) : [];
    if (cas.length === 0 && !this.lookup) return defaultAgents;
    const common = { keepAlive: true, maxSockets: 16, ...(this.lookup && { lookup: this.lookup }) };
    return {
      http: new http.Agent(common),
      // Giving `ca` replaces node's trust store, so the system's roots are kept beside the registry's own.
      https: new https.Agent({ ...common, ...(cas.length > 0 && { ca: [...rootCertificates, ...cas] }) }),
    };
  }
}

/** The `*.crt` files of a certs.d host directory; none when it does not exist. */
async function readCertificates(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[];
    throw error;
  });
  return Promise.all(names.filter((name) => name.endsWith('.crt')).sort().map((name) => readFile(join(dir, name), 'utf8')));
}

/** A `lookup` answering aliased names from the table and leaving every other name to DNS. */
function aliasLookup(aliases: Map<string, string>): LookupFunction {
  return (hostname, options, callback) => {
    const address = aliases.get(hostname.toLowerCase());
    if (address === undefined) return dnsLookup(hostname, options, callback);
    const family = isIP(address) || 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
