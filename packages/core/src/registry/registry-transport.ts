// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { readCertsDirectory, type RegistryTlsFiles } from './certs-directory.js';
import { defaultAgents, type RegistryHttpAgents } from './registry-http.js';

export interface RegistryTransportOptions {
  /**
   * A `certs.d` directory as Docker's `/etc/docker/certs.d`: every `*.crt` in `<certsDir>/<host:port>/` is a CA
   * trusted, besides the system's, for that registry (and the token server it sends clients to), and each
   * `<name>.cert` with its `<name>.key` a client certificate presented to a registry that asks for one.
   */
  certsDir?: string;
  /**
   * Registry host names and the addresses they are reached at, instead of asking DNS (as curl's `--resolve`):
   * TLS still checks the certificate against the name.
   */
  hostAliases?: Record<string, string>;
}

/**
 * The HTTP agents each registry host is reached with: keep-alive connections trusting the host's certs.d CAs,
 * presenting its client certificates and resolving configured aliases. Hosts with none of these share the
 * process-wide agents; the others get agents of their own. certs.d is read again at each use, as Docker does, so
 * certificates added or renewed take effect without a restart; agents are made anew only when its content changed.
 */
export class RegistryTransport {
  private readonly agents = new Map<string, { fingerprint: string; agents: RegistryHttpAgents }>();
  private readonly lookup?: LookupFunction;

  constructor(private readonly options: RegistryTransportOptions = {}) {
    const aliases = new Map(Object.entries(options.hostAliases ?? {}).map(([name, address]) => [name.toLowerCase(), address]));
    if (aliases.size > 0) this.lookup = aliasLookup(aliases);
  }

  /** The agents for `domain` (`host:port` as references write it). */
  async agentsFor(domain: string): Promise<RegistryHttpAgents> {
    const files = this.options.certsDir ? await readCertsDirectory(join(this.options.certsDir, domain)) : { cas: [], clientCertificates: [] };
    const fingerprint = createHash('sha256').update(JSON.stringify(files)).digest('hex');
    const cached = this.agents.get(domain);
    if (cached?.fingerprint === fingerprint) return cached.agents;
    const agents = this.makeAgents(files);
    this.agents.set(domain, { fingerprint, agents });
    return agents;
  }

  private makeAgents({ cas, clientCertificates }: RegistryTlsFiles): RegistryHttpAgents {
    if (cas.length === 0 && clientCertificates.length === 0 && !this.lookup) return defaultAgents;
    const common = { keepAlive: true, maxSockets: 16, ...(this.lookup && { lookup: this.lookup }) };
    return {
      http: new http.Agent(common),
      https: new https.Agent({
        ...common,
        // Giving `ca` replaces node's trust store, so the system's roots are kept beside the registry's own.
        ...(cas.length > 0 && { ca: [...rootCertificates, ...cas] }),
        // Go offers whichever pair the server's list of acceptable CAs names; node has no hook to choose during the
        // handshake, so the first pair by name is the one offered.
        ...clientCertificates[0],
      }),
    };
  }
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
