// SPDX-License-Identifier: Apache-2.0
import type { ErrorCode } from './error-code.js';

export interface EngineErrorOptions {
  cause?: unknown;
  /** What the user can do about it, shown under the message by the CLI. */
  hint?: string;
}

/**
 * Base of every error the engine raises on purpose. Code decides behaviour; message is for people and reads
 * context-first in lower case (`pull 127.0.0.1:5000/x: manifest unknown`).
 */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: EngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.hint = options.hint;
  }
}

const errorClass = (code: ErrorCode, name: string) =>
  class extends EngineError {
    constructor(message: string, options?: EngineErrorOptions) {
      super(code, message, options);
      this.name = name;
    }
  };

export const NotFoundError = errorClass('not-found', 'NotFoundError');
export const AlreadyExistsError = errorClass('already-exists', 'AlreadyExistsError');
export const InvalidArgumentError = errorClass('invalid-argument', 'InvalidArgumentError');
export const FailedPreconditionError = errorClass('failed-precondition', 'FailedPreconditionError');
export const ConflictError = errorClass('conflict', 'ConflictError');
export const NotModifiedError = errorClass('not-modified', 'NotModifiedError');
export const UnauthorizedError = errorClass('unauthorized', 'UnauthorizedError');
export const PermissionDeniedError = errorClass('permission-denied', 'PermissionDeniedError');
export const UnavailableError = errorClass('unavailable', 'UnavailableError');
export const NotImplementedError = errorClass('not-implemented', 'NotImplementedError');
/** The container's command exists but cannot be executed (Docker exit code 126). */
export const CannotInvokeError = errorClass('cannot-invoke', 'CannotInvokeError');
/** The container's command does not exist (Docker exit code 127). */
export const CommandNotFoundError = errorClass('command-not-found', 'CommandNotFoundError');
export const InternalError = errorClass('internal', 'InternalError');

/**
 * The code of an error or of the first engine error in its `cause` chain. Checks the `code` property, not
 * `instanceof`, so errors from a plugin carrying its own copy of core are still recognised.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  for (let e: unknown = error, depth = 0; e && depth < 16; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && isErrorCode(code)) return code;
  }
  return 'internal';
}

export function isErrorCode(value: string): value is ErrorCode {
  return ERROR_CODES.has(value as ErrorCode);
}

const ERROR_CODES = new Set<ErrorCode>([
  'not-found', 'already-exists', 'invalid-argument', 'failed-precondition', 'conflict', 'not-modified',
  'unauthorized', 'permission-denied', 'unavailable', 'not-implemented', 'cannot-invoke', 'command-not-found',
  'internal',
]);

export function isNotFound(error: unknown): boolean {
  return errorCodeOf(error) === 'not-found';
}

export function isConflict(error: unknown): boolean {
  return errorCodeOf(error) === 'conflict';
}
