// SPDX-License-Identifier: Apache-2.0

/**
 * Aligns tab-separated cells like Go's tabwriter as docker configures it (min width 10, padding 3): every column but
 * the last is padded to its widest cell plus 3, and at least 10 wide.
 */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 10, displayWidth(cell) + 3);
    });
  }
  return rows
    .map((row) => row.map((cell, column) => (column < row.length - 1 ? cell + ' '.repeat(widths[column] - displayWidth(cell)) : cell)).join(''))
    .map((line) => `${line}\n`)
    .join('');
}

function displayWidth(text: string): number {
  return [...text].length;
}

/** The first 12 hex digits of an id, without its `sha256:` prefix. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Cuts text to `width` characters, the last being `…`, as docker's `Ellipsis`. */
export function ellipsis(text: string, width: number): string {
  const characters = [...text];
  return characters.length <= width ? text : `${characters.slice(0, width - 1).join('')}…`;
}
