// SPDX-License-Identifier: Apache-2.0

/**
 * The closed set of error classes an engine error can belong to (moby's errdefs). Every HTTP status and CLI exit
 * code is derived from one of these in {@link toHttpStatus}, never from an error's type or message.
 */
export type ErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'invalid-argument'
  | 'failed-precondition'
  | 'conflict'
  | 'not-modified'
  | 'unauthorized'
  | 'permission-denied'
  | 'unavailable'
  | 'not-implemented'
  | 'cannot-invoke'
  | 'command-not-found'
  | 'internal';
