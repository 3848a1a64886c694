// SPDX-License-Identifier: Apache-2.0
import { renderTable } from '@tsc-engine/core/client';
import { renderGoTemplate } from './go-template.js';

/** One kind of listing (`ps`, `images`): its default table and the header each template field gets. */
export interface ListFormat {
  /** Docker's default, e.g. `table {{.ID}}\t{{.Image}}`. */
  defaultFormat: string;
  /** Column header per field, shown when a `table …` format names it: `ID` → `CONTAINER ID`. */
  headers: Record<string, string>;
}

/**
 * Renders rows the way docker's `--format` does: nothing or `table` gives the default table; `json` one JSON object
 * per line; `table <template>` a header plus aligned rows; any other template one line per row, unaligned.
 * `\t` and `\n` written literally in a format become tab and newline, as in docker.
 */
export function renderList(rows: Record<string, string>[], kind: ListFormat, format?: string): string {
  const requested = format === undefined || format === '' || format === 'table' ? kind.defaultFormat : format;
  if (requested === 'json') return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  const template = requested.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  if (!template.startsWith('table ')) return rows.map((row) => `${renderGoTemplate(template, row)}\n`).join('');
  const body = template.slice('table '.length);
  const lines = [kind.headers, ...rows].map((row) => renderGoTemplate(body, row).split('\t'));
  return renderTable(lines);
}
