// SPDX-License-Identifier: Apache-2.0

/** One message of a JSON progress stream (`POST /images/create`, push, load). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message: string };
  aux?: unknown;
}
