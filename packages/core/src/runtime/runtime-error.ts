// SPDX-License-Identifier: Apache-2.0
import {
  CannotInvokeError,
  CommandNotFoundError,
  ConflictError,
  EngineError,
  InternalError,
  NotFoundError,
} from '../errors/engine-error.js';

/**
 * The readable part of an OCI runtime's error output. runc logs logfmt (`time=… level=error msg="…"`), crun plain
 * lines; either way the last error line is the one that says what went wrong.
 */
export function runtimeErrorMessage(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const messages = lines.map((line) => {
    const logfmt = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
    return logfmt ? (JSON.parse(`"${logfmt[1]}"`) as string) : line;
  });
  return messages.at(-1) ?? '';
}

export interface RuntimeErrorOptions {
  cause?: unknown;
  /** Recognises the runtime's wording for an unknown container id; runtimes word it differently. */
  isNotFound?: (message: string) => boolean;
}

/** runc's wording; crun overrides it through {@link RuntimeErrorOptions.isNotFound}. */
export const isRuncNotFound = (message: string): boolean => /container does not exist|container .* does not exist/i.test(message);

/**
 * Turns a runtime's failure into the engine error of the right class. Failures to exec the container's command
 * (the runtime reports them at `create` with runc 1.1, at `start` with others) become 127/126 errors like Docker's,
 * so `docker run` exits with the same status.
 */
export function runtimeError(context: string, message: string, options: RuntimeErrorOptions = {}): EngineError {
  const { cause, isNotFound = isRuncNotFound } = options;
  const text = `${context}: ${message}`;
  if (/\bexec\b|executable|start container process/i.test(message)) {
    if (/executable file .*not found|no such file or directory/i.test(message)) {
      return new CommandNotFoundError(text, { cause, hint: 'check the command and the PATH inside the image' });
    }
    if (/permission denied/i.test(message)) {
      return new CannotInvokeError(text, { cause, hint: 'the command must be an executable file' });
    }
  }
  if (isNotFound(message)) return new NotFoundError(text, { cause });
  if (/not running|is stopped|already stopped|container is paused/i.test(message)) return new ConflictError(text, { cause });
  return new InternalError(text, { cause });
}
