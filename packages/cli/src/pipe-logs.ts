// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import type { LogChunk } from '@tsc-engine/core/client';

/**
 * Copies a container's log stream to this process's stdout and stderr, waiting for a slow reader (a pipe into
 * `head`, a terminal) instead of buffering without bound. `onChunk` lets a caller see that output still flows; resolves with the number of chunks.
 */
export async function pipeLogs(chunks: AsyncIterable<LogChunk>, onChunk?: () => void): Promise<number> {
  let count = 0;
  for await (const chunk of chunks) {
    count++;
    onChunk?.();
    const out = chunk.stream === 'stderr' ? process.stderr : process.stdout;
    if (!out.write(chunk.data)) await once(out, 'drain');
  }
  return count;
}
