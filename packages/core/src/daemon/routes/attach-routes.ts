// SPDX-License-Identifier: Apache-2.0
import type { AttachService } from '../../container/attach-service.js';
import type { ContainerService } from '../../container/container-service.js';
import type { LogEntry } from '../../supervisor/supervisor.js';
import { parseDetachKeys } from '../detach-keys.js';
import { queryFlag, sendEmpty } from '../http-responses.js';
import type { Route } from '../route.js';
import { streamStdio, type StdioChunk } from '../stdio-stream.js';
import { parseTerminalSize } from './terminal-size.js';

/** What the attach endpoints need of the daemon. */
export type AttachContainers = Pick<ContainerService, 'get' | 'logs'>;
export type AttachBackend = Pick<AttachService, 'attach' | 'resize'>;

export function attachRoutes(containers: AttachContainers, backend: AttachBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/containers/:id/attach',
      handler: async (context) => {
        const { params, query } = context;
        const record = containers.get(params.id);
        const detachKeys = parseDetachKeys(query.get('detachKeys'));
        const options = { stdin: queryFlag(query, 'stdin'), stdout: queryFlag(query, 'stdout'), stderr: queryFlag(query, 'stderr') };
        const tty = record.config.Tty === true;
        await streamStdio(context, tty, async (signal) => {
          const prelude = queryFlag(query, 'logs')
            ? replay(containers.logs(record.id, { stdout: options.stdout, stderr: options.stderr }, signal))
            : undefined;
          if (!queryFlag(query, 'stream')) return { prelude, closeStdin: false, detachKeys, detach: () => undefined };
          const attachment = await backend.attach(record, options, signal);
          return {
            prelude,
            stdin: attachment.stdin,
            stdout: attachment.stdout,
            stderr: attachment.stderr,
            closeStdin: attachment.closeStdin,
            detachKeys,
            detach: (reason) => attachment.close({ byDetachKeys: reason === 'detach-keys' }),
          };
        });
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/resize',
      handler: async ({ res, params, query }) => {
        await backend.resize(params.id, parseTerminalSize(query));
        sendEmpty(res, 200);
      },
    },
  ];
}

async function* replay(entries: AsyncIterable<LogEntry>): AsyncGenerator<StdioChunk> {
  for await (const entry of entries) yield { stream: entry.stream, data: entry.data };
}
