// SPDX-License-Identifier: Apache-2.0
import type { ErrorCode } from './error-code.js';
import { errorCodeOf } from './engine-error.js';

// The one place error classes become HTTP statuses (moby's httpstatus.FromError). 126/127 travel as 500 with a
// recognisable message, as Docker's do, so existing clients print the same thing.
const HTTP_STATUS: Record<ErrorCode, number> = {
  'not-found': 404,
  'already-exists': 409,
  'invalid-argument': 400,
  'failed-precondition': 409,
  conflict: 409,
  'not-modified': 304,
  unauthorized: 401,
  'permission-denied': 403,
  unavailable: 503,
  'not-implemented': 501,
  'cannot-invoke': 500,
  'command-not-found': 500,
  internal: 500,
};

export function toHttpStatus(error: unknown): number {
  return HTTP_STATUS[errorCodeOf(error)];
}

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  304: 'not-modified',
  400: 'invalid-argument',
  401: 'unauthorized',
  403: 'permission-denied',
  404: 'not-found',
  409: 'conflict',
  501: 'not-implemented',
  503: 'unavailable',
};

/** The inverse, for clients reading an error response; other statuses fall back as the Docker client's do. */
export function errorCodeFromHttpStatus(status: number): ErrorCode {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid-argument');
}

/**
 * Exit status of a CLI command that failed with this error, following `docker run`: 125 when the engine failed,
 * 126 when the container command cannot be invoked, 127 when it cannot be found.
 */
export function toExitCode(error: unknown): number {
  switch (errorCodeOf(error)) {
    case 'cannot-invoke':
      return 126;
    case 'command-not-found':
      return 127;
    default:
      return 125;
  }
}
