// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodeOf, UnavailableError, type EngineClient } from '@tsc-engine/core/client';

export interface AutostartOptions {
  socketPath: string;
  dataRoot: string;
  /** The CLI's entry script, run as `node <script> daemon …`. */
  cliScript: string;
  timeoutMs?: number;
}

/**
 * Starts `tsc-engine daemon` detached, its output appended to `<data-root>/daemon.log`, and waits until `client`'s
 * ping is answered. Resolves with the log's path. Another CLI racing to start one is fine: whichever daemon gets
 * the socket answers both.
 */
export async function autostartDaemon(client: EngineClient, options: AutostartOptions): Promise<string> {
  mkdirSync(options.dataRoot, { recursive: true });
  const logPath = join(options.dataRoot, 'daemon.log');
  const log = openSync(logPath, 'a');
  const child = spawn(
    process.execPath,
    [options.cliScript, 'daemon', '--host', options.socketPath, '--data-root', options.dataRoot],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exit status ${code}`));
  child.once('error', (error) => (exit = error.message));
  child.unref();

  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.ping();
      return logPath;
    } catch (error) {
      if (errorCodeOf(error) !== 'unavailable') throw error;
    }
    if (exit !== undefined) {
      throw new UnavailableError(`the tsc-engine daemon started in the background stopped (${exit})`, { hint: `see its log: ${logPath}` });
    }
    if (Date.now() > deadline) {
      throw new UnavailableError(`the tsc-engine daemon started in the background did not answer on unix://${options.socketPath} within ${timeoutMs / 1000}s`, {
        hint: `see its log: ${logPath}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
