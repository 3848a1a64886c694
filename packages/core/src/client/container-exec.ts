// SPDX-License-Identifier: Apache-2.0
import type { ExecCreateRequest } from '../api/exec.js';
import { streamAttached } from './attached-stdio.js';
import type { EngineClient } from './engine-client.js';

/**
 * `docker exec` (and `docker compose exec`): creates the exec, starts it on a connection of its own that carries
 * this process's stdio (a terminal when `Tty`, stdin when `AttachStdin`) and answers the command's exit code.
 */
export async function execAttached(client: EngineClient, container: string, request: ExecCreateRequest): Promise<number> {
  const tty = request.Tty === true;
  const stdin = request.AttachStdin === true;
  const { Id } = await client.createExec(container, { AttachStdout: true, AttachStderr: true, ...request });
  const size = tty && process.stdout.isTTY ? ([process.stdout.rows, process.stdout.columns] as [number, number]) : undefined;
  const connection = await client.startExecAttached(Id, { tty, consoleSize: size });
  await streamAttached(connection, { tty, stdin, resize: (s) => client.resizeExec(Id, s) });
  // As docker's CLI: the stream has ended, the exit code is the exec's.
  const { ExitCode } = await client.inspectExec(Id);
  return ExitCode ?? 0;
}

/** `exec -d`: starts the command and leaves it running, its output discarded. */
export async function execDetached(client: EngineClient, container: string, request: ExecCreateRequest): Promise<void> {
  const { Id } = await client.createExec(container, { ...request, AttachStdin: false, AttachStdout: false, AttachStderr: false });
  await client.startExecDetached(Id, { tty: request.Tty === true });
}
