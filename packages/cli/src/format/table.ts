// SPDX-License-Identifier: Apache-2.0

/** The first 12 hex digits of an id, without its `sha256:` prefix. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Cuts text to `width` characters, the last being `…`, as docker's `Ellipsis`. */
export function ellipsis(text: string, width: number): string {
  const characters = [...text];
  return characters.length <= width ? text : `${characters.slice(0, width - 1).join('')}…`;
}
