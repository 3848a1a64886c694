// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';
import { YamlTag, isRawMap, type KeyPath, type RawMap, type RawValue } from './raw-value.js';

/** The value of a variable, or undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

export interface InterpolationOptions {
  lookup: VariableLookup;
  /** Told about each unset variable used without a default (compose then substitutes an empty string). */
  onUnset?: (name: string) => void;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Expands compose-spec variables in one string: `$V`, `${V}`, `${V:-default}`, `${V-default}`, `${V:?error}`,
 * `${V?error}`, `${V:+alternative}`, `${V+alternative}` (defaults and messages may nest further variables), and
 * `$$` for a literal `$`. The `:` forms treat an empty value like an unset one.
 */
export function interpolate(template: string, options: InterpolationOptions): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) return out + template.slice(i);
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(template, dollar + 2);
      if (end < 0) throw invalidFormat(template);
      out += expandBraced(template.slice(dollar + 2, end), template, options);
      i = end + 1;
    } else {
      const name = NAME.exec(template.slice(dollar + 1))?.[0];
      if (!name) throw invalidFormat(template);
      out += valueOrBlank(name, options);
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

/** Interpolates every string value of a raw model (never keys), naming the key path when a value is malformed. */
export function interpolateModel(value: RawValue, options: InterpolationOptions, path: KeyPath = [],
  onError: (path: KeyPath, error: Error) => never = (_, e) => { throw e; }): RawValue {
  if (typeof value === 'string') {
    try {
      return interpolate(value, options);
    } catch (error) {
      return onError(path, error as Error);
    }
  }
  if (value instanceof YamlTag) return new YamlTag(value.tag, interpolateModel(value.value, options, path, onError));
  if (Array.isArray(value)) return value.map((v, i) => interpolateModel(v, options, [...path, i], onError));
  if (isRawMap(value)) {
    const out: RawMap = {};
    for (const [key, v] of Object.entries(value)) out[key] = interpolateModel(v, options, [...path, key], onError);
    return out;
  }
  return value;
}

/** Index of the `}` closing a `${` whose body starts at `from`, skipping nested `${…}`; -1 when unclosed. */
function closingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && (s[i + 1] === '{' || s[i + 1] === '$')) {
      if (s[i + 1] === '{') depth++;
      i++;
    } else if (s[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function expandBraced(body: string, template: string, options: InterpolationOptions): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw invalidFormat(template);
  const rest = body.slice(name.length);
  if (rest === '') return valueOrBlank(name, options);
  const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!operator) throw invalidFormat(template);
  const argument = () => interpolate(rest.slice(operator.length), options);
  const value = options.lookup(name);
  const unset = value === undefined || (operator.startsWith(':') && value === '');
  switch (operator) {
    case ':-':
    case '-':
      return unset ? argument() : (value as string);
    case ':?':
    case '?':
      if (unset) throw new InvalidArgumentError(`required variable ${name} is missing a value: ${argument()}`);
      return value as string;
    default:
      return unset ? '' : argument();
  }
}

function valueOrBlank(name: string, options: InterpolationOptions): string {
  const value = options.lookup(name);
  if (value === undefined) options.onUnset?.(name);
  return value ?? '';
}

function invalidFormat(template: string) {
  return new InvalidArgumentError(`invalid interpolation format in "${template}"`, {
    hint: 'write $$ for a literal $; ${VAR/…} substitutions are not part of the compose spec',
  });
}
