// SPDX-License-Identifier: Apache-2.0
import { EngineError, type EngineErrorOptions } from '../errors/engine-error.js';
import { errorCodeFromHttpStatus } from '../errors/error-mapping.js';

/**
 * An error the daemon answered with (a non-2xx/3xx status and its `{"message"}` body), as opposed to one raised on
 * this side of the socket. The CLI prefixes these with `Error response from daemon:`, as docker does.
 */
export class DaemonResponseError extends EngineError {
  readonly status: number;

  constructor(status: number, message: string, options?: EngineErrorOptions) {
    super(errorCodeFromHttpStatus(status), message, options);
    this.name = 'DaemonResponseError';
    this.status = status;
  }
}

/** Checks by shape, not `instanceof`, so an error from another copy of core is recognised too. */
export function isDaemonResponseError(error: unknown): error is DaemonResponseError {
  return error instanceof Error && error.name === 'DaemonResponseError' && typeof (error as { status?: unknown }).status === 'number';
}
