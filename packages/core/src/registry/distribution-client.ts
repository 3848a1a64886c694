// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { pipeline, Transform, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { sha256Digest, isSha256Digest } from '../content/digest.js';
import { VerifyingStream } from '../content/verifying-stream.js';
import { InvalidArgumentError, UnavailableError } from '../errors/engine-error.js';
import type { Descriptor } from './descriptor.js';
import { MANIFEST_ACCEPT, isIndexMediaType, isManifestMediaType } from './media-types.js';
import { RegistryAuthenticator, TokenCache, type CredentialsProvider, type RegistryCredentials } from './registry-authenticator.js';
import { registryError } from './registry-error.js';
import { resumingBlobStream } from './resuming-blob-stream.js';
import { defaultAgents, readResponseBody, sendRegistryRequest, type RegistryHttpAgents, type RegistryRequest } from './registry-http.js';
import type { BlobPushOptions, BlobPushResult, FetchedManifest, RegistryRemote } from './registry-remote.js';
import { parseRateLimit, retryAfterSeconds } from './rate-limit.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export interface DistributionClientOptions {
  /** Registry host as references name it (`docker.io`, `127.0.0.1:5000`): used in messages and hints. */
  domain: string;
  /** Where the registry's `/v2/` API is served: `https://registry-1.docker.io`, `http://127.0.0.1:5000`. */
  endpoint: URL;
  /** Repository path: `library/busybox`. */
  repository: string;
  /** Credentials, or a provider asked for them when the registry first challenges; none is anonymous. */
  credentials?: RegistryCredentials | CredentialsProvider;
  /** Ask for push rights (token scope `pull,push`). */
  push?: boolean;
  /** Shared so that clients for one registry reuse each other's tokens. */
  tokenCache?: TokenCache;
  agents?: RegistryHttpAgents;
  /** Blobs larger than this are uploaded in chunks of this size (or the registry's minimum, if larger). */
  chunkSize?: number;
}

interface UploadSession {
  location: URL;
  /** The registry's `OCI-Chunk-Min-Length`, 0 when it names none. */
  minChunkLength: number;
}

// Docker's limit for a manifest; anything bigger is not a manifest.
const MANIFEST_LIMIT = 4 << 20;
const ERROR_BODY_LIMIT = 64 << 10;
// One request per blob up to this size; larger blobs go in PATCH chunks so no single request runs for too long.
const DEFAULT_CHUNK_SIZE = 32 << 20;
// How many times one chunked upload is resumed after a 416 before it fails: enough for a lost chunk, not a loop.
const MAX_UPLOAD_RESUMES = 3;
const USER_AGENT = 'tsc-engine/0.1';
// A 429 is waited out once when the registry asks for at most this long; a longer wait is the user's call.
const MAX_RETRY_AFTER_SECONDS = 60;
const TAMPERED_HINT = 'the registry, or a proxy in between, serves a manifest that is not the one it names; the image was not pulled';

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
      throw new InvalidArgumentError(`${what}: manifest digest mismatch: registry says ${advertised}, content hashes to ${digest}`, {
        hint: TAMPERED_HINT,
      });
    }
    if (isSha256Digest(reference) && reference !== digest) {
      throw new InvalidArgumentError(`${what}: manifest digest mismatch: content hashes to ${digest}`, { hint: TAMPERED_HINT });
    }
    const rateLimit = parseRateLimit(response.headers);
    return { mediaType: manifestMediaType(header(response, 'content-type'), bytes), digest, bytes, ...(rateLimit && { rateLimit }) };
  }

  async getBlob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable> {
    const what = `${this.name}: blob ${descriptor.digest}`;
    const response = await this.openBlob(descriptor, 0, what, signal);
    const length = header(response, 'content-length');
    if (length !== undefined && Number(length) !== descriptor.size) {
      response.destroy();
      throw new InvalidArgumentError(`${what}: size mismatch: expected ${descriptor.size} bytes, registry sends ${length}`);
    }
    const body = resumingBlobStream(response, descriptor.size, (offset) => this.openBlob(descriptor, offset, what, signal), what, { signal });
    // pipeline() so a broken connection fails the returned stream instead of leaving it hanging.
    return pipeline(body, new VerifyingStream(descriptor.digest, descriptor.size, what), () => {});
  }

  private async openBlob(descriptor: Descriptor, offset: number, what: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const headers = offset > 0 ? { range: `bytes=${offset}-` } : undefined;
    const response = await this.request({ method: 'GET', url: this.url(`blobs/${descriptor.digest}`), headers, signal, followRedirects: true });
    await this.expectStatus(response, offset > 0 ? [200, 206] : [200], what);
    return response;
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

  /**
   * Uploads a blob (distribution-spec "Push"): tries each cross-repository mount first, then sends the bytes in one
   * PUT, or, when the blob is larger than a chunk, in PATCHes of at least the registry's `OCI-Chunk-Min-Length`,
   * resuming from the registry's offset when it answers a chunk with 416. An upload that fails is cancelled, so
   * the registry does not keep the partial session.
   */
  async pushBlob(descriptor: Descriptor, content: () => Readable, options: BlobPushOptions = {}): Promise<BlobPushResult> {
    const { signal, onProgress } = options;
    const what = `${this.name}: upload blob ${descriptor.digest}`;
    const candidates = options.mountFrom ?? [];
    let session: UploadSession | undefined;
    for (const [i, from] of candidates.entries()) {
      const started = await this.startUpload(what, signal, { digest: descriptor.digest, from });
      if (!started) return { mountedFrom: from };
      // A refused mount still opened an upload session: the last one carries the upload, the others are dropped.
      if (i < candidates.length - 1) await this.cancelUpload(started, signal);
      else session = started;
    }
    session ??= await this.startUpload(what, signal);
    const chunkSize = Math.max(this.options.chunkSize ?? DEFAULT_CHUNK_SIZE, session.minChunkLength);
    const verified = () => pipeline(content(), new VerifyingStream(descriptor.digest, descriptor.size, what), () => {});
    try {
      if (descriptor.size > chunkSize) await this.uploadChunks(session, descriptor, verified, chunkSize, what, options);
      else {
        const target = new URL(session.location);
        target.searchParams.set('digest', descriptor.digest);
        const done = await this.request({
          method: 'PUT',
          url: target,
          headers: { 'content-type': 'application/octet-stream', 'content-length': descriptor.size },
          body: () => pipeline(verified(), byteCounter(onProgress), () => {}),
          signal,
        });
        await this.expectStatus(done, [201, 204], what);
        done.resume();
      }
    } catch (error) {
      await this.cancelUpload(session, signal).catch(() => undefined);
      throw error;
    }
    return {};
  }

  /** POSTs a new upload (or a mount of `mount.digest` from `mount.from`); resolves undefined when mounted. */
  private startUpload(what: string, signal?: AbortSignal): Promise<UploadSession>;
  private startUpload(what: string, signal: AbortSignal | undefined, mount: { digest: string; from: string }): Promise<UploadSession | undefined>;
  private async startUpload(what: string, signal?: AbortSignal, mount?: { digest: string; from: string }): Promise<UploadSession | undefined> {
    const url = this.url('blobs/uploads/');
    if (mount) {
      url.searchParams.set('mount', mount.digest);
      url.searchParams.set('from', mount.from);
    }
    // Mounting reads the other repository, so the token must also grant pull there.
    const scopes = mount ? [`repository:${mount.from}:pull`] : [];
    const response = await this.request({ method: 'POST', url, headers: { 'content-length': 0 }, signal }, scopes);
    await this.expectStatus(response, mount ? [201, 202] : [202], what);
    response.resume();
    if (response.statusCode === 201) return undefined;
    const location = header(response, 'location');
    if (!location) throw new UnavailableError(`${what}: registry gave no upload location`);
    const minChunkLength = Number(header(response, 'oci-chunk-min-length') ?? 0);
    return { location: new URL(location, this.options.endpoint), minChunkLength: Number.isFinite(minChunkLength) ? minChunkLength : 0 };
  }

  /**
   * PATCHes the blob in chunks. A 416 means the registry holds other than the bytes this client counted (a chunk
   * lost or cut on the way, a request replayed): as the distribution spec says, the session is still good, so its
   * status is asked and the bytes are sent again from the registry's offset, a few times at most.
   */
  private async uploadChunks(session: UploadSession, descriptor: Descriptor, content: () => Readable, chunkSize: number, what: string, options: BlobPushOptions): Promise<void> {
    let location = session.location;
    let offset = 0;
    let resumes = 0;
    upload: for (;;) {
      for await (const chunk of fixedSizeChunks(content(), chunkSize, offset)) {
        const response = await this.request({
          method: 'PATCH',
          url: location,
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${offset}-${offset + chunk.length - 1}`,
            'content-length': chunk.length,
          },
          body: chunk,
          signal: options.signal,
        });
        if (response.statusCode === 416 && resumes < MAX_UPLOAD_RESUMES) {
          response.resume();
          resumes++;
          ({ location, offset } = await this.uploadStatus(location, offset + chunk.length, what, options.signal));
          options.onProgress?.(offset);
          // Leaving the loop destroys this pass's stream; the next reads the content again, up to the offset.
          continue upload;
        }
        await this.expectStatus(response, [202], `${what}: chunk at byte ${offset}`);
        response.resume();
        // Each answer may move the session; the query it carries must be kept.
        const next = header(response, 'location');
        if (next) location = new URL(next, this.options.endpoint);
        offset += chunk.length;
        options.onProgress?.(offset);
      }
      break;
    }
    const target = new URL(location);
    target.searchParams.set('digest', descriptor.digest);
    const done = await this.request({ method: 'PUT', url: target, headers: { 'content-length': 0 }, signal: options.signal });
    await this.expectStatus(done, [201, 204], what);
    done.resume();
  }

  /**
   * The upload's status (distribution-spec: GET on the session answers 204 with `Range: 0-<last byte>` and a fresh
   * `Location`): where to send next and from which byte. `sent` bounds the offset, as a registry holding bytes it
   * was never sent cannot be resumed.
   */
  private async uploadStatus(location: URL, sent: number, what: string, signal?: AbortSignal): Promise<{ location: URL; offset: number }> {
    const response = await this.request({ method: 'GET', url: location, signal });
    await this.expectStatus(response, [200, 204], `${what}: upload status`);
    response.resume();
    // Some registries write `bytes=0-N`; docker/distribution answers `0-0` for an empty session.
    const range = /^(?:bytes=)?0-(\d+)$/.exec(header(response, 'range')?.trim() ?? '');
    const last = range ? Number(range[1]) : -1;
    const offset = last > 0 ? last + 1 : 0;
    if (offset > sent) throw new UnavailableError(`${what}: the registry holds ${offset} bytes of the upload, more than the ${sent} sent`);
    const next = header(response, 'location');
    return { location: next ? new URL(next, this.options.endpoint) : location, offset };
  }

  private async cancelUpload(session: UploadSession, signal?: AbortSignal): Promise<void> {
    const response = await this.request({ method: 'DELETE', url: session.location, signal });
    response.resume();
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

  /**
   * Sends with the current authorization; on a 401, answers the challenge once, for this client's scope and
   * `extraScopes`, and sends again.
   */
  private async request(request: RegistryRequest, extraScopes: string[] = []): Promise<IncomingMessage> {
    let challenged = false;
    let waited = false;
    for (;;) {
      const authorization = this.authorization;
      const headers: OutgoingHttpHeaders = { 'user-agent': USER_AGENT, ...request.headers, ...(authorization && { authorization }) };
      const response = await sendRegistryRequest({ ...request, headers }, this.agents);
      if (response.statusCode === 429 && !waited) {
        // Docker Hub's `toomanyrequests`: honour Retry-After once, when it is short, as a quota may just be refilling.
        const wait = retryAfterSeconds(response.headers['retry-after']);
        if (wait !== undefined && wait <= MAX_RETRY_AFTER_SECONDS) {
          waited = true;
          response.resume();
          await delay(wait * 1000, undefined, { signal: request.signal });
          continue;
        }
      }
      const challenge = header(response, 'www-authenticate');
      if (response.statusCode !== 401 || challenged || !challenge) return response;
      challenged = true;
      response.resume();
      const answer = await this.authenticator.authorize(parseWwwAuthenticate(challenge), [...this.scopes, ...extraScopes], authorization, request.signal);
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

/** Splits a stream, past its first `skip` bytes, into buffers of exactly `size` bytes (the last may be shorter). */
async function* fixedSizeChunks(source: Readable, size: number, skip = 0): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = skip;
  for await (let data of source as AsyncIterable<Buffer>) {
    if (skipping > 0) {
      const dropped = Math.min(skipping, data.length);
      skipping -= dropped;
      data = data.subarray(dropped);
      if (data.length === 0) continue;
    }
    pending.push(data);
    pendingBytes += data.length;
    while (pendingBytes >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingBytes -= size;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** Passes bytes through, reporting the running count. */
function byteCounter(report?: (count: number) => void): Transform {
  let count = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      report?.(count);
      callback(null, chunk);
    },
  });
}
