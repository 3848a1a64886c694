// SPDX-License-Identifier: Apache-2.0
import { WARNING_STATUS, progressLine, type ProgressEvent, type ProgressWriter } from './progress-writer.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<ProgressEvent['state'], string> = { working: '', done: '\x1b[32m✔\x1b[0m', error: '\x1b[31m✘\x1b[0m', warning: '\x1b[33m!\x1b[0m' };

/**
 * A live view for a terminal: one line per object, redrawn in place as its state changes, under a `[+] Running
 * done/total` header — docker compose's TTY view.
 */
export class TtyProgress implements ProgressWriter {
  private readonly lines = new Map<string, ProgressEvent>();
  /** Terminal rows the last frame took. */
  private rows = 0;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;

  /** `out.columns`, the terminal's width, is read at each frame: the terminal may be resized meanwhile. */
  constructor(private readonly out: NodeJS.WritableStream & { columns?: number }, private readonly title = 'Running') {
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  emit(event: ProgressEvent): void {
    // A warning keeps a line of its own: the object's next state would otherwise draw over it before it is read.
    const line = `${event.kind} ${event.name}`;
    this.lines.set(event.status === WARNING_STATUS ? `${line} ${event.detail}` : line, event);
    this.draw();
  }

  close(): void {
    clearInterval(this.timer);
    this.draw();
  }

  private draw(): void {
    if (this.lines.size === 0) return;
    const events = [...this.lines.values()];
    const finished = events.filter((e) => e.state !== 'working').length;
    const spinner = SPINNER[this.frame++ % SPINNER.length];
    const text = [
      `[+] ${this.title} ${finished}/${events.length}`,
      ...events.map((e) => ` ${MARK[e.state] || spinner} ${progressLine(e)}`),
    ];
    // Up to the first row drawn last time, and all below it cleared: a line wider than the terminal (a warning)
    // wraps onto more rows, and a line that got shorter must not leave the end of its old text behind.
    const up = this.rows > 0 ? `\x1b[${this.rows}A` : '';
    this.out.write(`${up}\r\x1b[J${text.map((line) => `${line}\n`).join('')}`);
    this.rows = text.reduce((rows, line) => rows + rowsTaken(line, this.out.columns), 0);
  }
}

/** How many terminal rows `line` takes once wrapped at `columns` (colours take none). */
function rowsTaken(line: string, columns: number | undefined): number {
  const width = [...line.replace(/\x1b\[[0-9;]*m/g, '')].length;
  return columns ? Math.max(1, Math.ceil(width / columns)) : 1;
}
