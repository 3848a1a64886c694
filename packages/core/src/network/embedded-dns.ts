// SPDX-License-Identifier: Apache-2.0
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';

/** Answers "which addresses has `name` for the container at `client` on network `networkId`" from live state. */
export type NameLookup = (networkId: string, client: string, name: string) => string[];

/** Reverse lookups (`PTR`): the name of the container holding `address` on the network, if any. */
export type AddressLookup = (networkId: string, address: string) => string | undefined;

/** The servers to forward the questions of the container at `client` to, first first. */
export type UpstreamLookup = (networkId: string, client: string) => string[];

const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const UPSTREAM_TIMEOUT_MS = 2000;

/**
 * The embedded resolver of user-defined networks. Docker's listens on 127.0.0.11 inside each container, which
 * needs a thread per namespace; this one listens on each network's gateway address on the host, as podman's
 * aardvark-dns does, so one socket per network serves every container on it. Answers come from the daemon's
 * live state on every query with TTL 0: a container recreated with a new address is found at the new one at
 * once. Names it does not know go to the asking container's `--dns` servers, else the host's resolvers, as
 * Docker forwards them.
 */
export class EmbeddedDns {
  private readonly sockets = new Map<string, Socket>();

  constructor(
    private readonly lookup: NameLookup,
    private readonly reverse: AddressLookup,
    private readonly upstream: UpstreamLookup,
  ) {}

  async listen(networkId: string, address: string): Promise<void> {
    if (this.sockets.has(networkId)) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (message, remote) => void this.answer(networkId, socket, message, remote));
    socket.on('error', (error) => process.emitWarning(`embedded dns on ${address}: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(53, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // The resolver must not keep an embedding process alive on its own.
    socket.unref();
    this.sockets.set(networkId, socket);
  }

  close(networkId: string): void {
    this.sockets.get(networkId)?.close();
    this.sockets.delete(networkId);
  }

  private async answer(networkId: string, socket: Socket, message: Buffer, remote: RemoteInfo): Promise<void> {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.replace(/\.$/, '').toLowerCase();
    const reply = (answers: dnsPacket.Answer[], rcode = 0) =>
      socket.send(
        dnsPacket.encode({
          type: 'response',
          id: query.id,
          flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
          questions: [question],
          answers,
        }),
        remote.port,
        remote.address,
      );

    if (question.type === 'PTR') {
      const owner = this.reverse(networkId, ptrToAddress(name) ?? '');
      if (owner) return reply([{ type: 'PTR', name: question.name, ttl: 0, data: owner }]);
    } else {
      const addresses = this.lookup(networkId, remote.address, name);
      if (addresses.length > 0) {
        // A known name has no IPv6 address: an empty answer, not NXDOMAIN, or clients would give up on it.
        if (question.type !== 'A') return reply([]);
        return reply(addresses.map((data) => ({ type: 'A', name: question.name, ttl: 0, data })));
      }
    }
    const servers = this.upstream(networkId, remote.address);
    const forwarded = await this.forward(message, servers[0]);
    if (forwarded) socket.send(forwarded, remote.port, remote.address);
    else reply([], servers.length > 0 ? RCODE_SERVFAIL : RCODE_NXDOMAIN);
  }

  private forward(message: Buffer, server: string | undefined): Promise<Buffer | undefined> {
    if (!server) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const client = createSocket('udp4');
      const done = (answer?: Buffer) => {
        clearTimeout(timer);
        client.close();
        resolve(answer);
      };
      const timer = setTimeout(() => done(), UPSTREAM_TIMEOUT_MS);
      client.on('message', (answer) => done(answer));
      client.on('error', () => done());
      client.send(message, 53, server);
    });
  }
}

/** `5.0.18.172.in-addr.arpa` → `172.18.0.5`. */
function ptrToAddress(name: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  return match ? [match[4], match[3], match[2], match[1]].join('.') : undefined;
}
