// SPDX-License-Identifier: Apache-2.0
import { progressLine, type ProgressEvent, type ProgressWriter } from './progress-writer.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<ProgressEvent['state'], string> = { working: '', done: '\x1b[32m✔\x1b[0m', error: '\x1b[31m✘\x1b[0m', warning: '\x1b[33m!\x1b[0m' };

/**
 * A live view for a terminal: one line per object, redrawn in place as its state changes, under a `[+] Running
 * done/total` header — docker compose's TTY view.
 */
export class TtyProgress implements ProgressWriter {
  private readonly lines = new Map<string, ProgressEvent>();
  private drawn = 0;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly out: NodeJS.WritableStream, private readonly title = 'Running') {
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  emit(event: ProgressEvent): void {
    this.lines.set(`${event.kind} ${event.name}`, event);
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
    // Up to the first line drawn last time, then each line cleared to its end as it is rewritten.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(`${up}${text.map((line) => `\r\x1b[2K${line}\n`).join('')}`);
    this.drawn = text.length;
  }
}
