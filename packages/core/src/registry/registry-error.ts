// SPDX-License-Identifier: Apache-2.0
import type { IncomingHttpHeaders } from 'node:http';
import {
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthorizedError,
  UnavailableError,
} from '../errors/engine-error.js';
import { describeRateLimit, parseRateLimit, retryAfterSeconds } from './rate-limit.js';

/** One entry of a registry's error body (distribution-spec "Error Codes"). */
export interface RegistryErrorDetail {
  code: string;
  message?: string;
  detail?: unknown;
}

/** Reads `{"errors":[…]}`; anything else (an HTML proxy page, a bare 429) yields no entries. */
export function parseRegistryErrors(body: Buffer): RegistryErrorDetail[] {
  try {
    const json = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    return Array.isArray(json.errors)
      ? json.errors.filter((e): e is RegistryErrorDetail => typeof (e as RegistryErrorDetail)?.code === 'string')
      : [];
  } catch {
    return [];
  }
}

export interface RegistryErrorContext {
  /** What was being done, first in the message: `127.0.0.1:5000/x:latest`. */
  what: string;
  /** Registry host, for the login hint. */
  domain: string;
}

/** Turns a registry's error response into the engine error of the matching class. */
export function registryError(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  context: RegistryErrorContext,
): EngineError {
  const errors = parseRegistryErrors(body);
  const codes = new Set(errors.map((e) => e.code));
  const said = errors.map((e) => `${e.code.toLowerCase().replace(/_/g, ' ')}${e.message && e.message.toLowerCase() !== e.code.toLowerCase().replace(/_/g, ' ') ? `: ${e.message}` : ''}`).join('; ');
  const detail = said || `http ${status}`;
  const { what, domain } = context;

  if (status === 429 || codes.has('TOOMANYREQUESTS')) {
    const retryAfter = retryAfterSeconds(headers['retry-after']);
    const rateLimit = parseRateLimit(headers);
    const hub = domain === 'docker.io';
    return new UnavailableError(`${what}: too many requests: ${detail}${rateLimit ? ` (${describeRateLimit(rateLimit)})` : ''}`, {
      hint: `the registry is rate limiting pulls${retryAfter === undefined ? '' : `; it asks to retry after ${retryAfter} s`}. ` +
        `Log in with 'tsc-engine login${hub ? '' : ` ${domain}`}' for a higher limit` +
        (hub ? ', or pull through a mirror ("registry-mirrors" in daemon.json)' : ''),
    });
  }
  if (codes.has('MANIFEST_UNKNOWN') || codes.has('NAME_UNKNOWN') || codes.has('BLOB_UNKNOWN') || status === 404) {
    const base = codes.has('BLOB_UNKNOWN') ? 'blob unknown' : 'manifest unknown';
    return new NotFoundError(`${what}: ${base}${said && said !== base ? ` (${said})` : ''}`);
  }
  if (status === 401 || codes.has('UNAUTHORIZED')) {
    return new UnauthorizedError(`${what}: unauthorized: ${detail}`, {
      hint: `the repository may not exist or may require 'tsc-engine login ${domain}'`,
    });
  }
  if (status === 403 || codes.has('DENIED')) {
    return new PermissionDeniedError(`${what}: denied: ${detail}`, {
      hint: `check that your account for ${domain} has access to this repository`,
    });
  }
  if (status >= 500) return new UnavailableError(`${what}: registry error: ${detail}`);
  return new InvalidArgumentError(`${what}: ${detail}`);
}
