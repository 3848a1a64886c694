// SPDX-License-Identifier: Apache-2.0
import { toExitCode } from '@tsc-engine/core/client';
import { EngineCommand } from './engine-command.js';

/**
 * Base of the commands that make containers (`run`, `create`), which follow `docker run`'s exit statuses: 125 when
 * the engine failed, 126 when the container's command cannot be invoked, 127 when it cannot be found.
 */
export abstract class ContainerLaunchCommand extends EngineCommand {
  protected override exitCodeFor(error: unknown): number {
    return toExitCode(error);
  }
}
