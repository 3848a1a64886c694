// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '@tsc-engine/core/client';

/**
 * Writes the tar `open` answers to `output`, or to STDOUT without one (`save`, `export`). A terminal is refused
 * before anything is asked of the daemon; a file is written under a temporary name and renamed into place, as
 * docker's CLI does, so a failure leaves nothing under the name.
 */
export async function writeArchive(output: string | undefined, open: () => Promise<Readable>): Promise<void> {
  if (!output && process.stdout.isTTY) {
    throw new InvalidArgumentError('cowardly refusing to save to a terminal', { hint: 'use the -o flag or redirect' });
  }
  const archive = await open();
  if (!output) {
    // A reader that has seen enough (`| head`, `| tar -t x`) is no failure, as SIGPIPE ends docker quietly.
    await pipeline(archive, process.stdout).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      archive.destroy();
    });
    return;
  }
  const temp = `${output}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await pipeline(archive, createWriteStream(temp, { mode: 0o600 }));
    await rename(temp, output);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
