// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '@tsc-engine/core/client';

type Value = unknown;

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  json: (value) => JSON.stringify(value ?? null),
  upper: (value) => printValue(value).toUpperCase(),
  lower: (value) => printValue(value).toLowerCase(),
  len: (value) => (Array.isArray(value) || typeof value === 'string' ? value.length : Object.keys(value ?? {}).length),
  join: (list, separator) => (Array.isArray(list) ? list.map(printValue).join(printValue(separator)) : printValue(list)),
  index: (collection, key) => (collection as Record<string, Value> | undefined)?.[printValue(key)],
};

/**
 * Renders the subset of Go's text/template that docker's `--format` is used with in practice: `{{.Field.Sub}}`,
 * `{{json .}}`, `{{join .List ","}}`, `{{index .Labels "k"}}`, `{{upper .X}}`, `{{lower .X}}`, `{{len .X}}`.
 * Values print as Go prints them (`[a b]`, `map[k:v]`), so scripts written against docker keep working.
 */
export function renderGoTemplate(template: string, data: Value): string {
  let output = '';
  let last = 0;
  for (const match of template.matchAll(/\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs)) {
    let text = template.slice(last, match.index);
    if (match[1] === '-') text = text.trimEnd();
    output += text;
    output += printValue(evaluate(match[2], data, template));
    last = match.index + match[0].length;
    if (match[3] === '-') last += template.slice(last).length - template.slice(last).trimStart().length;
  }
  return output + template.slice(last);
}

function evaluate(expression: string, data: Value, template: string): Value {
  const tokens = tokenize(expression, template);
  if (tokens.length === 0) throw templateError(template, 'empty action');
  const [head, ...rest] = tokens;
  if (head.startsWith('.') || head.startsWith('"')) {
    if (rest.length > 0) throw templateError(template, `${head} is not a function`);
    return operand(head, data);
  }
  const fn = FUNCTIONS[head];
  if (!fn) throw templateError(template, `function "${head}" not defined`);
  return fn(...rest.map((token) => operand(token, data)));
}

function operand(token: string, data: Value): Value {
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token === '.') return data;
  let value = data;
  for (const key of token.slice(1).split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, Value>)[key] : undefined;
  }
  return value;
}

function tokenize(expression: string, template: string): string[] {
  const tokens = expression.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  if (tokens.some((token) => token.startsWith('"') && !/"$/.test(token.slice(1)))) throw templateError(template, 'unterminated string');
  return tokens;
}

function printValue(value: Value): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Value>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([key, item]) => `${key}:${printValue(item)}`).join(' ')}]`;
  }
  return String(value);
}

function templateError(template: string, reason: string): Error {
  return new InvalidArgumentError(`template parsing error: ${reason} in ${JSON.stringify(template)}`);
}
