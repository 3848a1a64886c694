// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

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
  /**
   * Present when the client asked to upgrade (`Upgrade: tcp`, docker's attach and exec start): answers
   * `101 UPGRADED` with `contentType` and hands the connection over; the handler owns and ends it from then on.
   * Until called, the handler may still answer normally (an error, a 404).
   */
  hijack?: (contentType: string) => Duplex;
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
