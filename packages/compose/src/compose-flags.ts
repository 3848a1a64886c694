// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import type { LoadProjectOptions } from './loader/load-project.js';

/**
 * The project-selecting flags every `tsc-engine compose` command takes, as docker compose's global flags. Repeated
 * flags take one value each (`-f a -f b`): the compose command moves them before the subcommand's arguments, which
 * a greedy flag would swallow (`-f x.yaml logs web`).
 */
export const composeProjectFlags = {
  file: Flags.string({ char: 'f', multiple: true, multipleNonGreedy: true, description: 'compose file (repeatable, merged in order; - for stdin)', helpGroup: 'PROJECT' }),
  'project-name': Flags.string({ char: 'p', description: 'project name', helpGroup: 'PROJECT' }),
  'project-directory': Flags.string({ description: 'project directory (default: the first file\'s)', helpGroup: 'PROJECT' }),
  profile: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'enable a profile (repeatable)', helpGroup: 'PROJECT' }),
  'env-file': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'alternative .env file (repeatable)', helpGroup: 'PROJECT' }),
  state: Flags.string({
    env: 'TSC_ENGINE_STATE',
    description: 'shared state store: redis://host:port[/db], or a directory (default: embedded, under the data root)',
    helpGroup: 'PROJECT',
  }),
};

export interface ComposeProjectFlagValues {
  file?: string[];
  'project-name'?: string;
  'project-directory'?: string;
  profile?: string[];
  'env-file'?: string[];
  state?: string;
}

export function toLoadProjectOptions(flags: ComposeProjectFlagValues): LoadProjectOptions {
  return {
    files: flags.file,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    profiles: flags.profile,
    envFiles: flags['env-file'],
  };
}

/** Flags (with their `-x` forms) that take a value, for splitting `compose -f a.yaml up` at its subcommand. */
export const VALUE_FLAGS: ReadonlySet<string> = new Set([
  ...Object.entries(composeProjectFlags).flatMap(([name, flag]) => [`--${name}`, ...(flag.char ? [`-${flag.char}`] : [])]),
  // The CLI's global flag, hoisted after the command id when written first (`tsc-engine --host x compose …`).
  '--host',
  // docker compose's global flags, which the engine commands take (compose-engine-command.ts).
  '--progress',
  '--parallel',
  '--lock-wait',
]);

/**
 * The long forms of the project flags' short ones: a subcommand may give the same letter to a flag of its own
 * (`logs -f` is --follow), so the project flags written before it are passed on by their long names.
 */
export const LONG_FLAG_OF_CHAR: ReadonlyMap<string, string> = new Map(
  Object.entries(composeProjectFlags).flatMap(([name, flag]) => (flag.char ? [[`-${flag.char}`, `--${name}`] as const] : [])),
);
