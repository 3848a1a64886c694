// SPDX-License-Identifier: Apache-2.0
import { progressLine, type ProgressEvent, type ProgressWriter } from './progress-writer.js';

/** One line per event, for logs and CI where a redrawn view would be noise. */
export class PlainProgress implements ProgressWriter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  emit(event: ProgressEvent): void {
    this.out.write(` ${progressLine(event)}\n`);
  }

  close(): void {}
}
