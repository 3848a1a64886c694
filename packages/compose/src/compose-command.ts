// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { Command } from '@oclif/core/command';
import type { Interfaces } from '@oclif/core';
import { isErrorCode } from '@tsc-engine/core/client';
import type { ComposeProject } from './compose-model.js';
import { composeProjectFlags, toLoadProjectOptions, type ComposeProjectFlagValues } from './compose-flags.js';
import { loadProject } from './loader/load-project.js';

/**
 * Base of the `tsc-engine compose …` commands: the project flags, loading the project (warnings to stderr), and
 * docker compose's error convention — the message (and a hint) on stderr, exit 1.
 */
export abstract class ComposeCommand extends Command {
  static override baseFlags = composeProjectFlags;

  protected async loadProject(flags: ComposeProjectFlagValues): Promise<ComposeProject> {
    const { project, warnings } = await loadProject({
      ...toLoadProjectOptions(flags),
      stdin: () => readFileSync(0, 'utf8'),
    });
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    return project;
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && isErrorCode(code)) {
      const hint = (error as { hint?: string }).hint;
      process.stderr.write(`error: ${error.message}\n${hint ? `hint: ${hint}\n` : ''}`);
      // Not this.exit(): its ExitError is recognised by `instanceof`, which fails when the CLI runs a bundled
      // copy of oclif and this plugin its own, and oclif would then print the exit as an error.
      process.exitCode = 1;
      return undefined;
    }
    return super.catch(error);
  }
}
