// SPDX-License-Identifier: Apache-2.0
import type { ErrorObject, ValidateFunction } from 'ajv';
import { COMPOSE_SCHEMA_AJV_OPTIONS, readComposeSchema } from './compose-schema.js';
import type { KeyPath, RawMap } from './raw-value.js';

/** A schema violation: the key it is about and a readable message. */
export interface SchemaViolation {
  path: KeyPath;
  message: string;
}

/** Checks a compose model (tags stripped, variables interpolated) against the compose-spec schema. */
export type SchemaValidator = (model: RawMap) => SchemaViolation | undefined;

let compiled: Promise<ValidateFunction> | undefined;

/**
 * The validator of the vendored compose-spec schema: the standalone module the build generates
 * (scripts/build-schema-validator.js), or, in a checkout built with tsc alone, the schema compiled with Ajv.
 */
export async function loadSchemaValidator(): Promise<SchemaValidator> {
  compiled ??= precompiledOrCompile();
  const validate = await compiled;
  return (model) => (validate(model) ? undefined : describe(validate.errors ?? []));
}

async function precompiledOrCompile(): Promise<ValidateFunction> {
  // A variable specifier: the module is generated into lib/ and has no source for tsc to check.
  const generated = './compose-spec-validator.js';
  try {
    return ((await import(generated)) as { default: ValidateFunction }).default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  const { Ajv } = await import('ajv');
  return new Ajv(COMPOSE_SCHEMA_AJV_OPTIONS).compile(await readComposeSchema());
}

/**
 * Ajv reports every failed branch of a `oneOf`; the deepest error is the one that names the user's mistake
 * (the wrong key or type), not the umbrella "must match one schema".
 */
function describe(errors: ErrorObject[]): SchemaViolation {
  const deepest = errors.reduce((best, e) => (depth(e) > depth(best) ? e : best), errors[0]);
  const path = pathOf(deepest.instancePath);
  const params = deepest.params as Record<string, unknown>;
  if (deepest.keyword === 'additionalProperties') {
    return { path: [...path, String(params.additionalProperty)], message: 'additional property is not allowed' };
  }
  if (deepest.keyword === 'required') return { path, message: `missing required property "${String(params.missingProperty)}"` };
  if (deepest.keyword === 'type') return { path, message: `must be a ${String(params.type).replace(/,/g, ' or ')}` };
  if (deepest.keyword === 'enum') {
    return { path, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
  }
  return { path, message: deepest.message ?? 'is invalid' };
}

function depth(error: ErrorObject): number {
  const base = error.instancePath.split('/').length * 2;
  return error.keyword === 'additionalProperties' ? base + 1 : base;
}

function pathOf(pointer: string): KeyPath {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((part) => {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}
