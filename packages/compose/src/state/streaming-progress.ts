// SPDX-License-Identifier: Apache-2.0
import type { EventStream, JsonValue } from '@tsc-engine/core/state';
import type { ProgressEvent, ProgressWriter } from '../convergence/progress-writer.js';

/**
 * A {@link ProgressWriter} that also appends each event to the project's stream, so `compose events` in other
 * terminals (and `logs -f`) see the command's progress live: `Container shop-web-1 Started` becomes topic
 * `/container/started` with `{ name, service, status, state, detail, command }`.
 *
 * `emit` is synchronous, so appends are queued in order; the first one that fails is reported once through
 * `onFailure` (the command then stops: it cannot promise the shared history any more) and later ones are dropped.
 */
export class StreamingProgress implements ProgressWriter {
  private queue: Promise<void> = Promise.resolve();
  private failure?: Error;

  constructor(
    private readonly inner: ProgressWriter,
    private readonly events: EventStream,
    private readonly namespace: string,
    private readonly command: string,
    private readonly onFailure: (error: Error) => void,
  ) {}

  emit(event: ProgressEvent): void {
    this.inner.emit(event);
    const { kind, name, service, status, state, detail } = event;
    const payload: { [key: string]: JsonValue } = { name, status, state, command: this.command };
    if (service !== undefined) payload.service = service;
    if (detail !== undefined) payload.detail = detail;
    this.append(`/${kind.toLowerCase()}/${status.toLowerCase()}`, payload);
  }

  /** Appends an event of the command itself (`/command/start`, `/command/done`) after those queued. */
  append(topic: string, payload: { [key: string]: JsonValue }): void {
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.events.append({ namespace: this.namespace, topic, payload });
      } catch (error) {
        this.failure = error as Error;
        this.onFailure(this.failure);
      }
    });
  }

  /** Waits for every queued append; throws the first append failure, if any. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.inner.close();
  }
}
