// SPDX-License-Identifier: Apache-2.0
import type { ExecCreateRequest, ExecStartRequest } from '../../api/exec.js';
import type { ExecService, StartedExec } from '../../container/exec-service.js';
import { consoleSize } from '../../runtime/console-size.js';
import { parseDetachKeys } from '../detach-keys.js';
import { readJsonBody, sendEmpty, sendJson } from '../http-responses.js';
import type { Route, RouteContext } from '../route.js';
import { streamStdio } from '../stdio-stream.js';
import { parseTerminalSize } from './terminal-size.js';

/** What the exec endpoints need of the daemon. */
export type ExecBackend = Pick<ExecService, 'create' | 'start' | 'startDetached' | 'inspect' | 'resize'>;

export function execRoutes(backend: ExecBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/containers/:id/exec',
      handler: async ({ req, res, params }) => {
        const body = await readJsonBody<ExecCreateRequest>(req);
        sendJson(res, 201, { Id: backend.create(params.id, body) });
      },
    },
    {
      method: 'POST',
      path: '/exec/:id/start',
      handler: async (context) => {
        const body = await readJsonBody<ExecStartRequest>(context.req);
        // As dockerd: the start's size is for a terminal only (clients send it from API 1.42 on).
        const options = { consoleSize: body.Tty ? consoleSize(body.ConsoleSize) : undefined };
        if (body.Detach) {
          await backend.startDetached(context.params.id, options);
          sendEmpty(context.res, 200);
          return;
        }
        const detachKeys = backend.inspect(context.params.id).DetachKeys;
        const exec = await backend.start(context.params.id, options);
        await streamExec(context, exec, detachKeys);
      },
    },
    {
      method: 'POST',
      path: '/exec/:id/resize',
      handler: async ({ res, params, query }) => {
        await backend.resize(params.id, parseTerminalSize(query));
        sendEmpty(res, 200);
      },
    },
    {
      method: 'GET',
      path: '/exec/:id/json',
      handler: async ({ res, params }) => sendJson(res, 200, backend.inspect(params.id)),
    },
  ];
}

/**
 * Streams a started exec to the client. A start failure (command not found) is written on stdout, as dockerd does,
 * after which the client reads the exit code with `GET /exec/{id}/json`. Detaching leaves the process running.
 */
async function streamExec(context: RouteContext, exec: StartedExec, detachKeys: string): Promise<void> {
  await streamStdio(context, exec.tty, async () => ({
    stdin: exec.stdin,
    stdout: exec.stdout,
    stderr: exec.stderr,
    // A terminal's input is not ended by the client's, as with Docker: the shell would see a hang-up.
    closeStdin: !exec.tty,
    detachKeys: parseDetachKeys(detachKeys),
    detach: (reason) => exec.detach({ byDetachKeys: reason === 'detach-keys' }),
    trailer: async () => {
      const result = await exec.result;
      return result.error ? `${result.error}\r\n` : undefined;
    },
  }));
}
