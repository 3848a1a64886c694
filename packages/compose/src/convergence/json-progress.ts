// SPDX-License-Identifier: Apache-2.0
import type { ProgressEvent, ProgressWriter } from './progress-writer.js';

/** One JSON object per event (`--progress json`), for tools: stable keys, no colours, no redrawing. */
export class JsonProgress implements ProgressWriter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  emit(event: ProgressEvent): void {
    const { kind, name, status, state, detail } = event;
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), kind, id: `${kind} ${name}`, name, status, state, ...(detail ? { detail } : {}) })}\n`);
  }

  close(): void {}
}
