// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { JsonProgress } from './json-progress.js';
import { PlainProgress } from './plain-progress.js';
import type { ProgressWriter } from './progress-writer.js';
import { TtyProgress } from './tty-progress.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** The writer for `--progress`: `auto` is the live view on a terminal and plain lines anywhere else. */
export function createProgress(mode: string, out: NodeJS.WriteStream = process.stderr): ProgressWriter {
  switch (mode as ProgressMode) {
    case 'auto':
      return out.isTTY ? new TtyProgress(out) : new PlainProgress(out);
    case 'tty':
      return new TtyProgress(out);
    case 'plain':
      return new PlainProgress(out);
    case 'json':
      return new JsonProgress(out);
    case 'quiet':
      return { emit: () => undefined, close: () => undefined };
    default:
      throw new InvalidArgumentError(`unknown progress mode "${mode}"`, { hint: `use one of ${PROGRESS_MODES.join(', ')}` });
  }
}

/**
 * The writer for what a command reports once its live view has ended (`compose run`'s create warnings, printed
 * before the container's output): a terminal gets plain lines, as docker compose prints events outside an operation.
 */
export function createLineProgress(mode: string, out: NodeJS.WriteStream = process.stderr): ProgressWriter {
  return createProgress(mode === 'auto' || mode === 'tty' ? 'plain' : mode, out);
}
