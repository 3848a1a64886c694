// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../../errors/engine-error.js';
import type { TerminalSize } from '../../supervisor/supervisor.js';

/** The `h` and `w` of a resize request (containers and execs alike). */
export function parseTerminalSize(query: URLSearchParams): TerminalSize {
  const height = Number(query.get('h') ?? 0);
  const width = Number(query.get('w') ?? 0);
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw new InvalidArgumentError(`invalid terminal size: h=${query.get('h')} w=${query.get('w')}`);
  }
  return { height, width };
}
