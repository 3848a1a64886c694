// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler is given for one request. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters by name, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for in its path, or the daemon's own. */
  apiVersion: string;
  /** Aborted when the client goes away, so long-running handlers (follow, wait, pull) stop. */
  signal: AbortSignal;
}

export type RouteHandler = (context: RouteContext) => Promise<void>;

/**
 * One API endpoint. `path` uses `:name` for a segment and `:name*` for a rest that may contain slashes (image
 * names do: `/images/127.0.0.1:5000/x/json`).
 */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: RouteHandler;
}
