// SPDX-License-Identifier: Apache-2.0
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '../errors/engine-error.js';
import type { TerminalSize } from './supervisor.js';

/** conmon's control message for a window size (`WIN_RESIZE_EVENT` in its `src/config.h`). */
const WIN_RESIZE_EVENT = 1;

/**
 * Resizes the terminal of the process conmon runs with bundle `dir`, through its control FIFO `<dir>/ctl`: a line
 * `1 <height> <width>`, which conmon applies to the pty with TIOCSWINSZ (or as soon as it has the pty). Opened
 * without blocking, so a conmon that is gone (no reader on the FIFO) fails fast instead of hanging the request.
 */
export async function resizeConmonTerminal(dir: string, size: TerminalSize): Promise<void> {
  const height = Math.max(0, Math.trunc(size.height));
  const width = Math.max(0, Math.trunc(size.width));
  let file;
  try {
    file = await open(join(dir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENXIO' || code === 'ENOENT') throw new ConflictError('resize: the process is not running', { cause: error });
    throw error;
  }
  try {
    await file.write(`${WIN_RESIZE_EVENT} ${height} ${width}\n`);
  } finally {
    await file.close();
  }
}
