// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import type { Options } from 'ajv';

/** strict: false because the spec uses annotations (`deprecated`) and union types Ajv's strict mode rejects. */
export const COMPOSE_SCHEMA_AJV_OPTIONS: Options = { allErrors: false, strict: false };

/** The vendored compose-spec JSON schema (schema/compose-spec.json, from the compose-spec project). */
export async function readComposeSchema(): Promise<Record<string, unknown>> {
  const text = await readFile(new URL('../../schema/compose-spec.json', import.meta.url), 'utf8');
  // The spec names its meta-schema without the trailing `#` Ajv registers draft-07 under; Ajv's default is draft-07.
  const { $schema: _, ...schema } = JSON.parse(text) as Record<string, unknown>;
  return schema;
}
