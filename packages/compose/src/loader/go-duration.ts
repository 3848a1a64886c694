// SPDX-License-Identifier: Apache-2.0
import { formatGoDuration, parseGoDuration as parseStrictGoDuration } from '@tsc-engine/core/client';

export { formatGoDuration };

/**
 * Milliseconds of a compose duration, or undefined when the text is not one: Go syntax, plus what compose-go also
 * takes — a bare number of seconds and a `d` (day) unit.
 */
export function parseGoDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return text * 1000;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  return parseStrictGoDuration(s.replace(/([0-9]*\.?[0-9]+)d/g, (_, days: string) => `${Number(days) * 24}h`));
}
