// SPDX-License-Identifier: Apache-2.0
import type { ProgressMessage } from '@tsc-engine/core/client';
import { humanSize } from './format/human-size.js';

const BAR_WIDTH = 50;

/**
 * Prints a pull's JSON progress stream as docker does. On a terminal each layer keeps one line, redrawn in place
 * with its progress bar; elsewhere each status is one plain line and progress-bar updates are left out, so logs
 * stay readable.
 */
export class ProgressPrinter {
  private readonly lines = new Map<string, number>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly terminal: boolean,
  ) {}

  print(message: ProgressMessage): void {
    const progress = message.progress ?? progressBar(message.progressDetail);
    const hasProgress = progress !== '';
    if (!this.terminal) {
      if (!hasProgress) this.out.write(`${message.id ? `${message.id}: ` : ''}${message.status ?? ''}\n`);
      return;
    }
    const text = `${message.status ?? ''}${hasProgress ? ` ${progress}` : ''}`;
    if (!message.id) {
      // Output that is not about one layer ends the block of lines being redrawn.
      this.lines.clear();
      this.out.write(`${text}\n`);
      return;
    }
    let line = this.lines.get(message.id);
    if (line === undefined) {
      line = this.lines.size;
      this.lines.set(message.id, line);
      this.out.write('\n');
    }
    const up = this.lines.size - line;
    this.out.write(`\u001b[${up}A\r\u001b[2K${message.id}: ${text}\u001b[${up}B\r`);
  }
}

/** Docker's `[=====>    ]  1.2MB/4.5MB`, when the daemon sent numbers but no rendered bar. */
export function progressBar(detail: ProgressMessage['progressDetail']): string {
  if (!detail?.current) return '';
  if (!detail.total || detail.total <= 0) return humanSize(detail.current);
  const filled = Math.min(BAR_WIDTH, Math.floor((detail.current / detail.total) * BAR_WIDTH));
  const bar = filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled - 1)}`;
  return `[${bar}] ${humanSize(detail.current).padStart(8)}/${humanSize(detail.total)}`;
}
