// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { upgradedBody } from './upgrade-request.js';

// Docker's Go client compares Content-Type literally: `application/json; charset=utf-8` would make it print raw JSON.
const JSON_TYPE = 'application/json';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Starts a stream of JSON messages (pull progress, events) and flushes the headers at once. */
export function startJsonStream(res: ServerResponse): (message: unknown) => void {
  res.writeHead(200, { 'Content-Type': JSON_TYPE });
  res.flushHeaders();
  return (message) => {
    if (!res.writableEnded) res.write(`${JSON.stringify(message)}\r\n`);
  };
}

export async function readJsonBody<T>(req: IncomingMessage): Promise<T> {
  let body = upgradedBody(req);
  if (!body) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  const text = body.toString('utf8').trim();
  if (text === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new InvalidArgumentError(`invalid JSON in request body: ${(error as Error).message}`);
  }
}

/** Docker clients send booleans as `1`/`0`; documentation and other clients use `true`/`false`. */
export function queryFlag(query: URLSearchParams, name: string, fallback = false): boolean {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  return !['0', 'false', 'False', 'FALSE'].includes(value);
}

/**
 * `filters` as URL-encoded JSON, in either shape Docker accepts: `{"label":{"a=b":true}}` (what the Go client
 * sends) or `{"label":["a=b"]}` (what the documentation shows).
 */
export function parseFilters(query: URLSearchParams): Record<string, string[]> {
  const raw = query.get('filters');
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidArgumentError(`invalid filter: ${raw}`);
  }
  const filters: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) filters[key] = value.map(String);
    else if (value && typeof value === 'object') filters[key] = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k]);
    else throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
  return filters;
}
