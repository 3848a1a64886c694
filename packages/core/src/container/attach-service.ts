// SPDX-License-Identifier: Apache-2.0
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { inject, injectable } from 'inversify';
import { ConflictError } from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import { Supervisor, type TerminalSize } from '../supervisor/supervisor.js';
import { containerEvent } from './container-event.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerService } from './container-service.js';

/** Which of a container's streams a client attaches to (`POST /containers/{id}/attach`). */
export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** A client's connection to a container's stdio. Outputs it did not ask for stay empty and end with the others. */
export interface ContainerAttachment {
  /** Present when the client attached stdin and the container keeps it open (`OpenStdin`). */
  stdin?: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Whether the client's end of input should end the container's (`StdinOnce` without a terminal, as Docker). */
  closeStdin: boolean;
  /**
   * Lets go of the container's stdio, leaving it running. A client that typed the detach keys is recorded with a
   * `detach` event, as Docker records it; one that went away, or whose container exited, is not.
   */
  close(options?: { byDetachKeys?: boolean }): void;
}

/**
 * Attaches clients to containers' stdio as their monitors hold it (`docker attach`, `run`, `start -a`) and sizes
 * their terminals. A container that is not running is attached when it next starts, before its process runs, so
 * `docker run` (attach, then start) misses none of its output.
 */
@injectable()
export class AttachService {
  constructor(
    @inject(ContainerService) private readonly containers: ContainerService,
    @inject(Supervisor) private readonly supervisor: Supervisor,
    @inject(EventBus) private readonly events: EventBus,
  ) {}

  /** Resolves once connected: at once for a running container, else when it starts; rejects if `signal` aborts. */
  async attach(record: ContainerRecord, options: AttachOptions, signal?: AbortSignal): Promise<ContainerAttachment> {
    // As dockerd, when the client asks: `docker run` attaches before it starts, so the event comes before `start`.
    this.events.publish(containerEvent(record, 'attach'));
    const task = await this.supervisor.attach(record.id, signal);
    const openStdin = options.stdin && record.config.OpenStdin === true;
    let closed = false;
    return {
      stdin: openStdin ? task.stdin : undefined,
      stdout: options.stdout ? task.stdout : silenced(task.stdout),
      stderr: options.stderr ? task.stderr : silenced(task.stderr),
      closeStdin: record.config.StdinOnce === true && record.config.Tty !== true,
      close: ({ byDetachKeys = false } = {}) => {
        if (closed) return;
        closed = true;
        task.close();
        if (byDetachKeys) this.events.publish(containerEvent(record, 'detach'));
      },
    };
  }

  /** Sets the size of a running container's terminal (`POST /containers/{id}/resize`). */
  async resize(idOrName: string, size: TerminalSize): Promise<void> {
    const record = this.containers.get(idOrName);
    if (record.state.status !== 'running') throw new ConflictError(`Container ${record.id} is not running`);
    await this.supervisor.resize(record.id, size);
  }
}

/** A stream that ends when `source` does and passes none of its data on (which is still read, so it never blocks). */
function silenced(source: Readable): Readable {
  const empty = new PassThrough();
  source.on('data', () => undefined);
  source.once('close', () => empty.end());
  source.once('end', () => empty.end());
  return empty;
}
