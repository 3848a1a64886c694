// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type { Interfaces } from '@oclif/core';
import {
  DEFAULT_DATA_ROOT,
  DEFAULT_SOCKET_PATH,
  HttpEngineClient,
  InvalidArgumentError,
  isDaemonResponseError,
  isErrorCode,
  type EngineClient,
} from '@tsc-engine/core/client';
import { autostartDaemon } from './daemon-autostart.js';

/** `--host` as users write it (`unix:///run/x.sock` or a path) to the socket path. */
export function socketPathOf(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (/^[a-z]+:\/\//.test(host)) throw new InvalidArgumentError(`host ${host}: only unix sockets are supported`);
  return host;
}

/** An error the engine raised on purpose (shape, not `instanceof`: it may come from another copy of core). */
export function isEngineError(error: unknown): error is Error & { hint?: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && isErrorCode(code);
}

/** Prints an engine error as docker does (`Error response from daemon: …`) with its hint. */
export function formatEngineError(error: Error & { hint?: string }): string {
  const prefix = isDaemonResponseError(error) ? 'Error response from daemon: ' : 'Error: ';
  return `${prefix}${error.message}\n${error.hint ? `Hint: ${error.hint}\n` : ''}`;
}

/**
 * Base of every command that talks to the daemon: the global `--host`/`--no-autostart` flags, the connection
 * (starting a daemon in the background when none answers), and docker's error convention — engine errors print as
 * `Error response from daemon: …` and exit 1, or what {@link exitCodeFor} says (`run` and `create`: 125/126/127).
 */
export abstract class EngineCommand extends Command {
  static override baseFlags = {
    host: Flags.string({
      description: 'unix socket of the daemon',
      env: 'TSC_ENGINE_HOST',
      default: DEFAULT_SOCKET_PATH,
      helpGroup: 'GLOBAL',
    }),
    autostart: Flags.boolean({
      description: 'start a daemon in the background when none answers (data root from TSC_ENGINE_DATA_ROOT; TSC_ENGINE_NO_AUTOSTART=1 turns it off)',
      // Scripts and tests that manage their own daemon set the variable, so a command never starts a second one.
      default: async () => !/^(1|true)$/i.test(process.env.TSC_ENGINE_NO_AUTOSTART ?? ''),
      allowNo: true,
      helpGroup: 'GLOBAL',
    }),
  };

  private client?: HttpEngineClient;

  /**
   * A client of the daemon at `--host`. It asks no ping first (a round trip on every command): with `--autostart`,
   * the first call that finds no daemon starts one in the background and is then sent again.
   */
  protected async connect(flags: Interfaces.InferredFlags<typeof EngineCommand.baseFlags>): Promise<EngineClient> {
    const socketPath = socketPathOf(flags.host);
    const startDaemon = async (): Promise<void> => {
      // A client of its own waits for the new daemon to answer: the command's client has calls waiting on this.
      const probe = new HttpEngineClient({ socketPath });
      try {
        const logPath = await autostartDaemon(probe, {
          socketPath,
          dataRoot: process.env.TSC_ENGINE_DATA_ROOT || DEFAULT_DATA_ROOT,
          cliScript: join(this.config.root, 'bin', 'run.js'),
        });
        process.stderr.write(`Started the tsc-engine daemon in the background on unix://${socketPath}; its log is ${logPath}\n`);
      } finally {
        probe.close();
      }
    };
    this.client = new HttpEngineClient({ socketPath, onNoDaemon: flags.autostart ? startDaemon : undefined });
    return this.client;
  }

  /**
   * Runs `action` on each target as docker's multi-argument commands do (`rm a b c`): a failure is reported and
   * the rest still run; the command then fails with the first failure's exit status.
   */
  protected async forEachTarget(targets: string[], action: (target: string) => Promise<void>): Promise<void> {
    let firstFailure: unknown;
    for (const target of targets) {
      try {
        await action(target);
      } catch (error) {
        if (!isEngineError(error)) throw error;
        process.stderr.write(formatEngineError(error));
        firstFailure ??= error;
      }
    }
    if (firstFailure !== undefined) this.exit(this.exitCodeFor(firstFailure));
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    if (isEngineError(error)) {
      process.stderr.write(formatEngineError(error));
      this.exit(this.exitCodeFor(error));
    }
    return super.catch(error);
  }

  /** Exit status for a failed command; docker's commands exit 1, except those that run containers. */
  protected exitCodeFor(_error: unknown): number {
    return 1;
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.client?.close();
    return super.finally(error);
  }
}
