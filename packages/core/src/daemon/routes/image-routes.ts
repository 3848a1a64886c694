// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageDeleteItem, ImageHistoryItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../../api/image.js';
import type { ProgressMessage } from '../../api/progress-message.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import { toHttpStatus } from '../../errors/error-mapping.js';
import type { ImportImageOptions } from '../../image/image-importer.js';
import type { RegistryAuth } from '../../registry/registry.js';
import { parseFilters, queryFlag, sendEmpty, sendJson, startJsonStream } from '../http-responses.js';
import type { Route, RouteContext } from '../route.js';

export interface ImageBackend {
  pull(
    reference: string,
    options: { auth?: RegistryAuth; platform?: string },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void>;
  list(options: { all: boolean; filters: Record<string, string[]> }): Promise<ImageSummary[]>;
  inspect(name: string): Promise<ImageInspect>;
  remove(name: string, options: { force: boolean; noprune: boolean }): Promise<ImageDeleteItem[]>;
  /** Pushes `name`'s `tag`, or every tag of the repository when there is none. */
  push(name: string, options: { tag?: string; auth?: RegistryAuth }, onProgress: (message: ProgressMessage) => void, signal: AbortSignal): Promise<void>;
  /** Names the image `source` as `repo:tag` (`latest` without a tag). */
  tag(source: string, target: { repo: string; tag?: string }): Promise<void>;
  /** The archive of `docker save`; rejects before streaming when a name is unknown. */
  save(names: string[], signal: AbortSignal): Promise<Readable>;
  load(archive: Readable, onProgress: (message: ProgressMessage) => void, signal: AbortSignal): Promise<void>;
  prune(filters: Record<string, string[]>): Promise<ImagePruneResponse>;
  /** `docker import`: answers the new image's id. */
  import(options: ImportImageOptions): Promise<string>;
  history(name: string): Promise<ImageHistoryItem[]>;
}

export function imageRoutes(backend: ImageBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/images/create',
      handler: async ({ req, res, query, signal }) => {
        const fromImage = query.get('fromImage');
        if (!fromImage) return importImage(backend, { req, res, query, signal });
        const reference = withTag(fromImage, query.get('tag'));
        const auth = decodeRegistryAuth(req.headers['x-registry-auth']);
        await streamProgress(res, (send) => backend.pull(reference, { auth, platform: query.get('platform') || undefined }, send, signal));
      },
    },
    {
      method: 'POST',
      path: '/images/:name*/push',
      handler: async ({ req, res, params, query, signal }) => {
        const auth = decodeRegistryAuth(req.headers['x-registry-auth']);
        await streamProgress(res, (send) => backend.push(params.name, { tag: query.get('tag') || undefined, auth }, send, signal));
      },
    },
    {
      method: 'POST',
      path: '/images/:name*/tag',
      handler: async ({ res, params, query }) => {
        const repo = query.get('repo');
        if (!repo) throw new InvalidArgumentError('repo is required: the name to tag the image with');
        await backend.tag(params.name, { repo, tag: query.get('tag') || undefined });
        sendEmpty(res, 201);
      },
    },
    {
      method: 'GET',
      path: '/images/json',
      handler: async ({ res, query }) => sendJson(res, 200, await backend.list({ all: queryFlag(query, 'all'), filters: parseFilters(query) })),
    },
    {
      method: 'GET',
      path: '/images/get',
      handler: async ({ res, query, signal }) => sendArchive(res, await backend.save(query.getAll('names'), signal)),
    },
    {
      method: 'GET',
      path: '/images/:name*/get',
      handler: async ({ res, params, signal }) => sendArchive(res, await backend.save([params.name], signal)),
    },
    {
      method: 'POST',
      path: '/images/load',
      handler: async ({ req, res, query, signal }) => {
        const quiet = queryFlag(query, 'quiet');
        // Quiet leaves only the `Loaded image` lines (and errors), which is what `docker load -q` prints.
        await streamProgress(res, (send) => backend.load(req, (message) => (quiet && !message.stream ? undefined : send(message)), signal));
      },
    },
    {
      method: 'POST',
      path: '/images/prune',
      handler: async ({ res, query }) => sendJson(res, 200, await backend.prune(parseFilters(query))),
    },
    {
      method: 'GET',
      path: '/images/:name*/history',
      handler: async ({ res, params }) => sendJson(res, 200, await backend.history(params.name)),
    },
    {
      method: 'GET',
      path: '/images/:name*/json',
      handler: async ({ res, params }) => sendJson(res, 200, await backend.inspect(params.name)),
    },
    {
      method: 'DELETE',
      path: '/images/:name*',
      handler: async ({ res, params, query }) =>
        sendJson(res, 200, await backend.remove(params.name, { force: queryFlag(query, 'force'), noprune: queryFlag(query, 'noprune') })),
    },
  ];
}

/**
 * `POST /images/create?fromSrc=-`: the body is the archive. As moby's, the answer is written only once the image
 * is stored (its id as the stream's one status), so a refused archive gets a plain error status.
 */
async function importImage(backend: ImageBackend, { req, res, query, signal }: Pick<RouteContext, 'req' | 'res' | 'query' | 'signal'>): Promise<void> {
  const source = query.get('fromSrc');
  if (!source) throw new InvalidArgumentError('fromImage or fromSrc is required: the image to pull, or - to import the request body');
  const id = await backend.import({
    source,
    archive: req,
    repo: query.get('repo') || undefined,
    tag: query.get('tag') || undefined,
    message: query.get('message') || undefined,
    changes: query.getAll('changes'),
    platform: query.get('platform') || undefined,
    signal,
  });
  sendJson(res, 200, { status: id });
}

/**
 * Runs a pull or push answering with its JSON progress stream. The 200 goes out first, so a failure travels inside
 * the stream as `errorDetail`, where Docker clients look for it.
 */
export async function streamProgress(res: RouteContext['res'], transfer: (send: (message: ProgressMessage) => void) => Promise<void>): Promise<void> {
  const send = startJsonStream(res);
  try {
    await transfer(send);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = (error as { hint?: unknown }).hint;
    send({ errorDetail: { code: toHttpStatus(error), message, ...(typeof hint === 'string' && { hint }) }, error: message });
  }
  res.end();
}

/** Streams a tar; a failure half-way can only cut the response short, as it does with Docker. */
async function sendArchive(res: RouteContext['res'], archive: Readable): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(archive, res);
}

/** `fromImage` and `tag` as the Docker client sends them: `tag` is a tag or a digest, or empty. */
function withTag(fromImage: string, tag: string | null): string {
  if (!tag) return fromImage;
  return tag.includes(':') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/** `X-Registry-Auth`: base64url (some clients send standard base64) of the credentials JSON; `{}` is anonymous. */
export function decodeRegistryAuth(header: string | string[] | undefined): RegistryAuth | undefined {
  const auth = decodeJsonHeader<RegistryAuth | null>(header, 'X-Registry-Auth');
  if (auth === null) throw new InvalidArgumentError('invalid X-Registry-Auth header: it must be base64url-encoded JSON');
  return auth === undefined || Object.keys(auth).length === 0 ? undefined : auth;
}

/** A header carrying base64url (or standard base64) JSON, as docker's client encodes credentials. */
export function decodeJsonHeader<T>(header: string | string[] | undefined, name: string): T | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as T;
  } catch {
    throw new InvalidArgumentError(`invalid ${name} header: it must be base64url-encoded JSON`);
  }
}
