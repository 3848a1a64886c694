// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import type { BuildOptions, CommitOptions, CommitResponse, FilesystemChange } from '../../api/image-build.js';
import type { ProgressMessage } from '../../api/progress-message.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import type { RegistryAuth } from '../../registry/registry.js';
import { queryFlag, sendJson } from '../http-responses.js';
import type { Route } from '../route.js';
import { decodeJsonHeader, streamProgress } from './image-routes.js';

export interface ImageBuildBackend {
  changes(container: string): Promise<FilesystemChange[]>;
  commit(container: string, options: CommitOptions): Promise<CommitResponse>;
  /** Runs a build from a context tar, reporting as Docker's classic builder; rejects when a step fails. */
  build(
    context: Readable,
    options: BuildOptions & { auth?: Record<string, RegistryAuth> },
    onProgress: (message: ProgressMessage) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

/** `docker diff`, `docker commit` and the classic builder's `docker build` (`DOCKER_BUILDKIT=0`). */
export function imageBuildRoutes(backend: ImageBuildBackend): Route[] {
  return [
    {
      method: 'GET',
      path: '/containers/:id/changes',
      handler: async ({ res, params }) => sendJson(res, 200, await backend.changes(params.id)),
    },
    {
      method: 'POST',
      path: '/commit',
      handler: async ({ res, query }) => {
        const container = query.get('container');
        if (!container) throw new InvalidArgumentError('container is required: the container to commit');
        const response = await backend.commit(container, {
          repo: query.get('repo') || undefined,
          tag: query.get('tag') || undefined,
          comment: query.get('comment') || undefined,
          author: query.get('author') || undefined,
          changes: query.getAll('changes').filter(Boolean),
          pause: queryFlag(query, 'pause', true),
        });
        sendJson(res, 201, response);
      },
    },
    {
      method: 'POST',
      path: '/build',
      handler: async ({ req, res, query, signal }) => {
        const options: BuildOptions & { auth?: Record<string, RegistryAuth> } = {
          tags: query.getAll('t').filter(Boolean),
          dockerfile: query.get('dockerfile') || undefined,
          buildArgs: jsonParam<Record<string, string | null>>(query, 'buildargs'),
          labels: jsonParam<Record<string, string>>(query, 'labels'),
          quiet: queryFlag(query, 'q'),
          rm: queryFlag(query, 'rm', true),
          forceRm: queryFlag(query, 'forcerm'),
          networkMode: query.get('networkmode') || undefined,
          pull: queryFlag(query, 'pull'),
          // Credentials by registry, which `FROM` pulls use.
          auth: decodeJsonHeader<Record<string, RegistryAuth>>(req.headers['x-registry-config'], 'X-Registry-Config'),
        };
        if (query.get('remote')) throw new InvalidArgumentError('build from a remote context (git or URL) is not supported', { hint: 'build from a local directory' });
        if (query.get('target')) throw new InvalidArgumentError('build --target is not supported: multi-stage builds are not supported');
        await streamProgress(res, (send) => backend.build(req, options, send, signal));
      },
    },
  ];
}

function jsonParam<T>(query: URLSearchParams, name: string): T | undefined {
  const raw = query.get(name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new InvalidArgumentError(`invalid ${name}: not JSON: ${raw}`);
  }
}
