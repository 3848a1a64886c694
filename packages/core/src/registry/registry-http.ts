// SPDX-License-Identifier: Apache-2.0
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { UnavailableError } from '../errors/engine-error.js';

/**
 * Plain node:http rather than the global fetch (undici): a response is a Node Readable that applies backpressure
 * straight to the socket and pipes into the hashing, gunzip and tar streams without web-stream adapters, and
 * redirects are followed here, where we decide which headers may go to another host.
 */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: OutgoingHttpHeaders;
  /** A body, or a function making one: a stream can be sent only once, and a request may be re-sent after a 401. */
  body?: Buffer | (() => Readable);
  signal?: AbortSignal;
  /** Follow 3xx responses (GET/HEAD only); `Authorization` is dropped when a redirect leaves the origin. */
  followRedirects?: boolean;
}

export interface RegistryHttpAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Keep-alive agents shared by every client in the process, so consecutive blob fetches reuse connections. */
export const defaultAgents: RegistryHttpAgents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

const MAX_REDIRECTS = 5;

/** Sends a request and resolves with the (final) response, whatever its status. */
export async function sendRegistryRequest(request: RegistryRequest, agents = defaultAgents): Promise<IncomingMessage> {
  let url = request.url;
  let headers = { ...request.headers };
  for (let redirects = 0; ; redirects++) {
    const response = await sendOnce({ ...request, url, headers }, agents);
    const location = response.headers.location;
    const redirect = request.followRedirects && [301, 302, 303, 307, 308].includes(response.statusCode ?? 0) && location;
    if (!redirect || redirects >= MAX_REDIRECTS) return response;
    response.resume();
    const next = new URL(location, url);
    if (next.origin !== url.origin) {
      const { authorization: _dropped, ...rest } = headers;
      headers = rest;
    }
    url = next;
  }
}

function sendOnce(request: RegistryRequest, agents: RegistryHttpAgents): Promise<IncomingMessage> {
  const { url } = request;
  const isHttps = url.protocol === 'https:';
  const body = typeof request.body === 'function' ? request.body() : request.body;
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(url, {
      method: request.method,
      headers: request.headers,
      agent: isHttps ? agents.https : agents.http,
      signal: request.signal,
    });
    req.once('response', resolve);
    req.once('error', (cause) => {
      body && !Buffer.isBuffer(body) && body.destroy();
      reject(
        request.signal?.aborted
          ? cause
          : new UnavailableError(`${request.method} ${url.origin}${url.pathname}: ${failureReason(cause, url)}`, { cause, hint: tlsHint(cause, url) }),
      );
    });
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.once('error', (error) => req.destroy(error)).pipe(req);
  });
}

/**
 * The alerts a server sends when it requires a client certificate and got none, or one its CAs did not sign:
 * TLS 1.3's certificate_required, TLS 1.2's bad certificate or handshake failure, unknown CA.
 */
const CLIENT_CERTIFICATE_ALERT = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|HANDSHAKE_FAILURE|UNKNOWN_CA)/;

/** The failure in words: OpenSSL's message, bare of its error-stack prefix, when the registry refused the client. */
function failureReason(error: NodeJS.ErrnoException & { reason?: string }, url: URL): string {
  if (url.protocol !== 'https:' || !CLIENT_CERTIFICATE_ALERT.test(error.code ?? '')) return error.message;
  return `the registry refused the tls handshake, asking for a client certificate it trusts (${error.reason ?? error.message})`;
}

/**
 * What to do about a TLS failure: present a client certificate, trust the registry's CA, or reach it over plain
 * HTTP if that is what it speaks.
 */
function tlsHint(error: NodeJS.ErrnoException, url: URL): string | undefined {
  if (url.protocol !== 'https:') return undefined;
  if (CLIENT_CERTIFICATE_ALERT.test(error.code ?? '')) {
    return `put a client certificate the registry accepts, and its key, in certs.d/${url.host}/client.cert and client.key beside daemon.json`;
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(error.code ?? '')) {
    return `if the registry's certificate comes from a private CA, put the CA certificate in certs.d/${url.host}/ca.crt beside daemon.json`;
  }
  if (error.code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message)) {
    return `the registry does not speak TLS; if it is meant to be reached over plain HTTP, list ${url.host} in "insecure-registries" in daemon.json`;
  }
  return undefined;
}

/** Reads a whole (small) response body; errors beyond `limit` bytes rather than buffering without bound. */
export async function readResponseBody(response: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      throw new UnavailableError(`${what}: response larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
