// SPDX-License-Identifier: Apache-2.0
import { EngineError, type EngineErrorOptions } from '../errors/engine-error.js';
import type { ErrorCode } from '../errors/error-code.js';
import { errorCodeFromHttpStatus } from '../errors/error-mapping.js';

/**
 * An error the daemon answered with (a non-2xx/3xx status and its `{"message"}` body), as opposed to one raised on
 * this side of the socket. The CLI prefixes these with `Error response from daemon:`, as docker does.
 */
export class DaemonResponseError extends EngineError {
  readonly status: number;

  /** `options.code` refines what the status alone says (a 500 that is really "command not found"). */
  constructor(status: number, message: string, options: EngineErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? errorCodeFromHttpStatus(status), message, options);
    this.name = 'DaemonResponseError';
    this.status = status;
  }
}

/** Checks by shape, not `instanceof`, so an error from another copy of core is recognised too. */
export function isDaemonResponseError(error: unknown): error is DaemonResponseError {
  return error instanceof Error && error.name === 'DaemonResponseError' && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * Docker's rule for a container that fails to start (docker/cli `toStatusError`): the status does not say why
 * (moby answers 400 or 500), the message tells a missing command (exit 127) from one that cannot be executed (126).
 */
export function startFailureCode(message: string): ErrorCode | undefined {
  if (/executable file not found|no such file or directory|system cannot find the file specified/i.test(message)) return 'command-not-found';
  if (/permission denied|is a directory/i.test(message)) return 'cannot-invoke';
  return undefined;
}
