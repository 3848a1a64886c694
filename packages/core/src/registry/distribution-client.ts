// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { sha256Digest, isSha256Digest } from '../content/digest.js';
import { VerifyingStream } from '../content/verifying-stream.js';
import { InvalidArgumentError, UnavailableError } from '../errors/engine-error.js';
import type { Descriptor } from './descriptor.js';
import { MANIFEST_ACCEPT, isIndexMediaType, isManifestMediaType } from './media-types.js';
import { RegistryAuthenticator, TokenCache, type RegistryCredentials } from './registry-authenticator.js';
import { registryError } from './registry-error.js';
import { defaultAgents, readResponseBody, sendRegistryRequest, type RegistryHttpAgents, type RegistryRequest } from './registry-http.js';
import type { FetchedManifest, RegistryRemote } from './registry-remote.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export interface DistributionClientOptions {
  /** Registry host as references name it (`docker.io`, `127.0.0.1:5000`): used in messages and hints. */
  domain: string;
  /** Where the registry's `/v2/` API is served: `https://registry-1.docker.io`, `http://127.0.0.1:5000`. */
  endpoint: URL;
  /** Repository path: `library/busybox`. */
  repository: string;
  credentials?: RegistryCredentials;
  /** Ask for push rights (token scope `pull,push`). */
  push?: boolean;
  /** Shared so that clients for one registry reuse each other's tokens. */
  tokenCache?: TokenCache;
  agents?: RegistryHttpAgents;
}

// Docker's limit for a manifest; anything bigger is not a manifest.
const MANIFEST_LIMIT = 4 << 20;
const ERROR_BODY_LIMIT = 64 << 10;
const USER_AGENT = 'tsc-engine/0.1';

/**
 * {@link RegistryRemote} over the OCI distribution protocol for one repository: answers auth challenges (Basic or
 * bearer token, re-challenging on 401), verifies manifests against `Docker-Content-Digest` and the requested
 * digest, and streams blobs through a verifier so bad bytes fail the stream. Shared by the registry plugins, which
 * only decide endpoints and credentials.
 */
export class DistributionClient implements RegistryRemote {
  readonly name: string;
  private readonly authenticator: RegistryAuthenticator;
  private readonly agents: RegistryHttpAgents;
  private readonly scopes: string[];
  private authorization: string | undefined;

  constructor(private readonly options: DistributionClientOptions) {
    this.name = `${options.domain}/${options.repository}`;
    this.agents = options.agents ?? defaultAgents;
    this.authenticator = new RegistryAuthenticator(options.domain, options.credentials ?? {}, options.tokenCache, this.agents);
    this.scopes = [`repository:${options.repository}:${options.push ? 'pull,push' : 'pull'}`];
  }

  /** The registry base URL this client talks to. */
  get endpoint(): URL {
    return this.options.endpoint;
  }

  async getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `${this.name}${isSha256Digest(reference) ? '@' : ':'}${reference}`;
    const response = await this.request({ method: 'GET', url: this.url(`manifests/${reference}`), headers: { accept: MANIFEST_ACCEPT }, signal });
    await this.expectStatus(response, [200], what);
    const bytes = await readResponseBody(response, MANIFEST_LIMIT, what);
    const digest = sha256Digest(bytes);
    const advertised = header(response, 'docker-content-digest');
    if (advertised && advertised.startsWith('sha256:') && advertised !== digest) {
      throw new InvalidArgumentError(`${what}: manifest digest mismatch: registry says ${advertised}, content hashes to ${digest}`);
    }
    if (isSha256Digest(reference) && reference !== digest) {
      throw new InvalidArgumentError(`${what}: manifest digest mismatch: content hashes to ${digest}`);
    }
    return { mediaType: manifestMediaType(header(response, 'content-type'), bytes), digest, bytes };
  }

  async getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    const what = `${this.name}: blob ${descriptor.digest}`;
    const response = await this.request({ method: 'GET', url: this.url(`blobs/${descriptor.digest}`), signal, followRedirects: true });
    await this.expectStatus(response, [200], what);
    const length = header(response, 'content-length');
    if (length !== undefined && Number(length) !== descriptor.size) {
      response.destroy();
      throw new InvalidArgumentError(`${what}: size mismatch: expected ${descriptor.size} bytes, registry sends ${length}`);
    }
    // pipeline() so a broken connection fails the returned stream instead of leaving it hanging.
    return pipeline(response, new VerifyingStream(descriptor.digest, descriptor.size, what), () => {});
  }

  async hasBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<boolean> {
    const what = `${this.name}: blob ${descriptor.digest}`;
    const response = await this.request({ method: 'HEAD', url: this.url(`blobs/${descriptor.digest}`), signal, followRedirects: true });
    if (response.statusCode === 404) {
      response.resume();
      return false;
    }
    await this.expectStatus(response, [200], what);
    response.resume();
    return true;
  }

  /** Monolithic upload (POST, then PUT with the whole blob), skipped when the registry already has the blob. */
  async pushBlob(descriptor: Descriptor, content: () => Readable, signal?: AbortSignal): Promise<void> {
    if (await this.hasBlob(descriptor, signal)) return;
    const what = `${this.name}: upload blob ${descriptor.digest}`;
    const start = await this.request({ method: 'POST', url: this.url('blobs/uploads/'), headers: { 'content-length': 0 }, signal });
    await this.expectStatus(start, [202], what);
    start.resume();
    const location = header(start, 'location');
    if (!location) throw new UnavailableError(`${what}: registry gave no upload location`);
    // The location may carry query parameters the registry needs; keep them and add the digest.
    const target = new URL(location, this.options.endpoint);
    target.searchParams.set('digest', descriptor.digest);
    const done = await this.request({
      method: 'PUT',
      url: target,
      headers: { 'content-type': 'application/octet-stream', 'content-length': descriptor.size },
      body: () => pipeline(content(), new VerifyingStream(descriptor.digest, descriptor.size, what), () => {}),
      signal,
    });
    await this.expectStatus(done, [201, 204], what);
    done.resume();
  }

  async putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string> {
    const what = `${this.name}:${reference}: put manifest`;
    const response = await this.request({
      method: 'PUT',
      url: this.url(`manifests/${reference}`),
      headers: { 'content-type': mediaType, 'content-length': bytes.length },
      body: bytes,
      signal,
    });
    await this.expectStatus(response, [201, 200], what);
    response.resume();
    const digest = sha256Digest(bytes);
    const advertised = header(response, 'docker-content-digest');
    if (advertised && advertised.startsWith('sha256:') && advertised !== digest) {
      throw new InvalidArgumentError(`${what}: registry stored digest ${advertised}, expected ${digest}`);
    }
    return digest;
  }

  /**
   * Pings `/v2/` with the credentials, answering a challenge with no repository scope as `docker login` does.
   * Resolves with the refresh token the token server issued, if any; throws unauthorized when refused.
   */
  async checkAuth(signal?: AbortSignal): Promise<{ identityToken?: string }> {
    const what = `login to ${this.options.domain}`;
    const url = new URL('/v2/', this.options.endpoint);
    const first = await sendRegistryRequest({ method: 'GET', url, headers: { 'user-agent': USER_AGENT }, signal }, this.agents);
    first.resume();
    if (first.statusCode === 200) return {};
    if (first.statusCode !== 401) return this.expectStatus(first, [200], what).then(() => ({}));
    const challenges = parseWwwAuthenticate(header(first, 'www-authenticate') ?? '');
    const { authorization, refreshToken } = await this.authenticator.authorize(challenges, [], undefined, signal);
    const second = await sendRegistryRequest({ method: 'GET', url, headers: { authorization, 'user-agent': USER_AGENT }, signal }, this.agents);
    await this.expectStatus(second, [200], what);
    second.resume();
    return refreshToken ? { identityToken: refreshToken } : {};
  }

  private url(path: string): URL {
    return new URL(`/v2/${this.options.repository}/${path}`, this.options.endpoint);
  }

  /** Sends with the current authorization; on a 401, answers the challenge once and sends again. */
  private async request(request: RegistryRequest): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const authorization = this.authorization;
      const headers: OutgoingHttpHeaders = { 'user-agent': USER_AGENT, ...request.headers, ...(authorization && { authorization }) };
      const response = await sendRegistryRequest({ ...request, headers }, this.agents);
      const challenge = header(response, 'www-authenticate');
      if (response.statusCode !== 401 || attempt > 0 || !challenge) return response;
      response.resume();
      const answer = await this.authenticator.authorize(parseWwwAuthenticate(challenge), this.scopes, authorization, request.signal);
      this.authorization = answer.authorization;
    }
  }

  private async expectStatus(response: IncomingMessage, ok: number[], what: string): Promise<void> {
    const status = response.statusCode ?? 0;
    if (ok.includes(status)) return;
    const body = await readResponseBody(response, ERROR_BODY_LIMIT, what).catch(() => Buffer.alloc(0));
    throw registryError(status, response.headers, body, { what, domain: this.options.domain });
  }
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The manifest's media type: the Content-Type when it is a manifest type, else the body's own `mediaType`. */
function manifestMediaType(contentType: string | undefined, bytes: Buffer): string {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (isManifestMediaType(type) || isIndexMediaType(type)) return type;
  try {
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof declared === 'string') return declared;
  } catch {
    // Not JSON: leave the content type as is; parsing the manifest reports the problem.
  }
  return type;
}
