// SPDX-License-Identifier: Apache-2.0

/** One message of a JSON progress stream (`POST /images/create`, push, load). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  /** `code` is the HTTP status the error would have had; `hint` (tsc-engine's own) what the user can do. */
  errorDetail?: { code?: number; message: string; hint?: string };
  aux?: unknown;
  /** Text for the user, as `POST /images/load` reports `Loaded image: …`. */
  stream?: string;
}
