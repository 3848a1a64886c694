// SPDX-License-Identifier: Apache-2.0
import { renderGoTemplate } from './format/go-template.js';

/** Inspect results as docker prints them: a 4-space-indented JSON array, or one rendered template per object. */
export function renderInspected(objects: unknown[], format?: string): string {
  if (format === undefined || format === '') return `${JSON.stringify(objects, null, 4)}\n`;
  if (format === 'json') return objects.map((object) => `${JSON.stringify(object)}\n`).join('');
  return objects.map((object) => `${renderGoTemplate(format, object)}\n`).join('');
}
