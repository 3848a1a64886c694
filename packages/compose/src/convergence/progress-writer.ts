// SPDX-License-Identifier: Apache-2.0

/** What a step of convergence acts on; the first word of a progress line, as in docker compose. */
export type ResourceKind = 'Container' | 'Network' | 'Volume' | 'Image';

/** One change of one object's state during a compose command. */
export interface ProgressEvent {
  kind: ResourceKind;
  /** The engine-side name: `proj-web-1`, `proj_default`, `busybox:latest`. */
  name: string;
  /** The compose service a container belongs to, so that followers (`logs -f`) find its new containers. */
  service?: string;
  /** A word as docker compose prints it: `Creating`, `Created`, `Recreate`, `Started`, `Running`, `Healthy`, … */
  status: string;
  /** `working` until the step ends (`done`), or fails (`error`) / is only reported (`warning`). */
  state: 'working' | 'done' | 'error' | 'warning';
  /** Why, for the user: `configuration changed`, the error message. */
  detail?: string;
}

/** Where a compose command reports its progress: plain lines, a live view or JSON lines (see `--progress`). */
export interface ProgressWriter {
  emit(event: ProgressEvent): void;
  /** Ends the report (a live view draws its final state and stops redrawing). */
  close(): void;
}

/** `Container proj-web-1  Started` — docker compose's plain line. */
export function progressLine(event: ProgressEvent): string {
  return `${event.kind} ${event.name}  ${event.status}${event.detail ? ` (${event.detail})` : ''}`;
}

/** The status of a warning about an object that leaves its state as it was (one the daemon gave when creating it). */
export const WARNING_STATUS = 'Warning';

/**
 * Reports each of `warnings` about `subject` (Docker's create `Warnings`: limits the daemon discarded, …) as a line of
 * its own, as docker compose does.
 */
export function reportWarnings(
  progress: ProgressWriter,
  subject: Pick<ProgressEvent, 'kind' | 'name' | 'service'>,
  warnings: readonly string[],
): void {
  for (const warning of warnings) progress.emit({ ...subject, status: WARNING_STATUS, state: 'warning', detail: warning });
}

/** Reports `operation` on `subject` as `doing` then `done`, or as `Error` with its message before rethrowing. */
export async function reportStep(
  progress: ProgressWriter,
  subject: Pick<ProgressEvent, 'kind' | 'name' | 'service' | 'detail'>,
  doing: string,
  done: string,
  operation: () => Promise<unknown>,
): Promise<void> {
  progress.emit({ ...subject, status: doing, state: 'working' });
  try {
    await operation();
  } catch (error) {
    progress.emit({ ...subject, status: 'Error', state: 'error', detail: (error as Error).message });
    throw error;
  }
  progress.emit({ ...subject, status: done, state: 'done' });
}
