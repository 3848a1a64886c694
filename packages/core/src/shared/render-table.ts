// SPDX-License-Identifier: Apache-2.0

/** Go tabwriter settings, as the docker tool being imitated configures them. */
export interface TableOptions {
  /** The narrowest a column gets, padding included (docker's CLI: 10; docker compose's `top`: 4). */
  minWidth?: number;
  /** Spaces after a column's widest cell (docker's CLI: 3; docker compose's `top`: 2). */
  padding?: number;
  /** Drops the spaces a line ends with, as when its last cell is empty. */
  trimLineEnds?: boolean;
}

/**
 * Aligns rows of cells like Go's tabwriter (by default as docker's CLI sets it up: min width 10, padding 3): every
 * column but the last is padded to its widest cell plus `padding`, and at least `minWidth` wide. Widths count
 * characters, as tabwriter counts runes.
 */
export function renderTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const { minWidth = 10, padding = 3, trimLineEnds = false } = options;
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? minWidth, displayWidth(cell) + padding);
    });
  }
  return rows
    .map((row) => row.map((cell, column) => (column < row.length - 1 ? cell + ' '.repeat(widths[column] - displayWidth(cell)) : cell)).join(''))
    .map((line) => `${trimLineEnds ? line.trimEnd() : line}\n`)
    .join('');
}

function displayWidth(text: string): number {
  return [...text].length;
}
