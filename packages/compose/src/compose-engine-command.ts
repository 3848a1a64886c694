// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { DEFAULT_SOCKET_PATH, HttpEngineClient, InvalidArgumentError, type EngineClient } from '@tsc-engine/core/client';
import type { StateBackend } from '@tsc-engine/core/state';
import { ComposeCommand } from './compose-command.js';
import type { ComposeProject } from './compose-model.js';
import { PROGRESS_MODES, createProgress } from './convergence/create-progress.js';
import { defaultParallelism } from './convergence/default-parallelism.js';
import { ProjectConverger } from './convergence/project-converger.js';
import type { ProgressWriter } from './convergence/progress-writer.js';
import type { ComposeProjectFlagValues } from './compose-flags.js';
import { openStateBackend } from './state/open-state-backend.js';
import type { ProjectIntent } from './state/project-records.js';
import { runProjectSession } from './state/project-session.js';

/** The flags of compose commands that talk to the engine, beside the project flags. */
export const composeEngineFlags = {
  host: Flags.string({ description: 'unix socket of the daemon', env: 'TSC_ENGINE_HOST', default: DEFAULT_SOCKET_PATH, helpGroup: 'GLOBAL' }),
  progress: Flags.string({ description: 'progress output', options: [...PROGRESS_MODES], default: 'auto', env: 'COMPOSE_PROGRESS', helpGroup: 'GLOBAL' }),
  parallel: Flags.integer({ description: 'engine operations at once (default: COMPOSE_PARALLEL_LIMIT, else 64)', min: 1, helpGroup: 'GLOBAL' }),
  'lock-wait': Flags.integer({
    description: 'seconds to wait for another command holding the project (up, down, start, stop, restart, rm)',
    env: 'COMPOSE_LOCK_WAIT',
    default: 120,
    min: 0,
    helpGroup: 'GLOBAL',
  }),
};

type EngineFlagValues = { host: string; progress: string; parallel?: number; 'lock-wait': number } & Pick<ComposeProjectFlagValues, 'state'>;

/**
 * Base of the compose commands that act on the engine: the connection (`--host`, as every tsc-engine command),
 * `--progress` and `--parallel`, and a {@link ProjectConverger} for the loaded project. Compose starts no daemon
 * of its own; the CLI's other commands do that.
 */
export abstract class ComposeEngineCommand extends ComposeCommand {
  static override baseFlags = { ...ComposeCommand.baseFlags, ...composeEngineFlags };

  private client?: HttpEngineClient;
  private progressWriter?: ProgressWriter;
  private backend?: Promise<StateBackend>;

  protected connect(flags: EngineFlagValues): EngineClient {
    if (/^[a-z]+:\/\//.test(flags.host) && !flags.host.startsWith('unix://')) {
      throw new InvalidArgumentError(`host ${flags.host}: only unix sockets are supported`);
    }
    this.client ??= new HttpEngineClient({ socketPath: flags.host.replace(/^unix:\/\//, '') });
    return this.client;
  }

  protected progress(flags: EngineFlagValues): ProgressWriter {
    this.progressWriter ??= createProgress(flags.progress);
    return this.progressWriter;
  }

  /** Ends the progress report, before a command prints something else (attached `up` prints logs). */
  protected endProgress(): void {
    this.progressWriter?.close();
    this.progressWriter = undefined;
  }

  protected converger(project: ComposeProject, flags: EngineFlagValues): ProjectConverger {
    return new ProjectConverger(this.connect(flags), project, this.progress(flags), flags.parallel ?? defaultParallelism());
  }

  /** The state store of `--state` / `TSC_ENGINE_STATE`, opened once per command. */
  protected stateBackend(flags: EngineFlagValues): Promise<StateBackend> {
    this.backend ??= openStateBackend(flags.state);
    return this.backend;
  }

  /**
   * Runs `work` as a command that changes the project: under the project's lock, with its records and its progress
   * in the state store (see {@link runProjectSession}), on a converger that stops when the store goes away.
   */
  protected async changeProject<T>(
    project: ComposeProject,
    flags: EngineFlagValues,
    command: string,
    intent: Omit<ProjectIntent, 'command'>,
    work: (converger: ProjectConverger) => Promise<T>,
  ): Promise<T> {
    return runProjectSession(
      {
        backend: await this.stateBackend(flags),
        project,
        command,
        intent,
        lockWaitMs: flags['lock-wait'] * 1000,
        progress: this.progress(flags),
        onWait: (message) => process.stderr.write(`${message}\n`),
      },
      (progress, signal) => work(new ProjectConverger(this.connect(flags), project, progress, flags.parallel ?? defaultParallelism(), signal)),
    );
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.endProgress();
    this.client?.close();
    await (await this.backend?.catch(() => undefined))?.close().catch(() => undefined);
    return super.finally(error);
  }
}
