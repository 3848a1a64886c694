// SPDX-License-Identifier: Apache-2.0

/** Body of every error answer: `Content-Type` exactly `application/json`, or Docker clients print raw JSON. */
export interface ErrorResponse {
  message: string;
}
