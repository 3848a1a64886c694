// SPDX-License-Identifier: Apache-2.0
import type { ImageDeleteItem, ImageInspect, ImageSummary } from '../../api/image.js';
import type { ProgressMessage } from '../../api/progress-message.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import type { RegistryAuth } from '../../registry/registry.js';
import { queryFlag, sendJson, startJsonStream } from '../http-responses.js';
import type { Route } from '../route.js';

export interface ImageBackend {
  pull(
    reference: string,
    options: { auth?: RegistryAuth; platform?: string },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void>;
  list(options: { all: boolean }): Promise<ImageSummary[]>;
  inspect(name: string): Promise<ImageInspect>;
  remove(name: string, options: { force: boolean; noprune: boolean }): Promise<ImageDeleteItem[]>;
}

export function imageRoutes(backend: ImageBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/images/create',
      handler: async ({ req, res, query, signal }) => {
        const fromImage = query.get('fromImage');
        if (!fromImage) throw new InvalidArgumentError('fromImage is required: image import (fromSrc) is not supported');
        const reference = withTag(fromImage, query.get('tag'));
        const auth = decodeRegistryAuth(req.headers['x-registry-auth']);
        const send = startJsonStream(res);
        try {
          await backend.pull(reference, { auth, platform: query.get('platform') || undefined }, send, signal);
        } catch (error) {
          // Headers are out with 200: errors travel inside the stream, where Docker clients look for them.
          const message = error instanceof Error ? error.message : String(error);
          send({ errorDetail: { message }, error: message });
        }
        res.end();
      },
    },
    {
      method: 'GET',
      path: '/images/json',
      handler: async ({ res, query }) => sendJson(res, 200, await backend.list({ all: queryFlag(query, 'all') })),
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

/** `fromImage` and `tag` as the Docker client sends them: `tag` is a tag or a digest, or empty. */
function withTag(fromImage: string, tag: string | null): string {
  if (!tag) return fromImage;
  return tag.includes(':') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/** `X-Registry-Auth`: base64url (some clients send standard base64) of the credentials JSON; `{}` is anonymous. */
export function decodeRegistryAuth(header: string | string[] | undefined): RegistryAuth | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    const auth = JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as RegistryAuth;
    return Object.keys(auth).length === 0 ? undefined : auth;
  } catch {
    throw new InvalidArgumentError('invalid X-Registry-Auth header: it must be base64url-encoded JSON');
  }
}
