// SPDX-License-Identifier: Apache-2.0
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { composeError, SourceLocations } from './source-position.js';
import { isRawMap, YamlTag, type KeyPath, type RawMap, type RawValue } from './raw-value.js';

/** One compose file parsed: its top-level mapping and where each key was written. */
export interface ParsedComposeYaml {
  file: string;
  model: RawMap;
  locations: SourceLocations;
}

/**
 * Parses compose YAML keeping each key's line and column (the `yaml` package's CST, which plain `JSON`-like parsers
 * lose) and the `!reset`/`!override` tags. YAML merge keys (`<<: *anchor`) are applied, explicit keys winning.
 * `file` is the name used in error messages.
 */
export function parseComposeYaml(text: string, file: string): ParsedComposeYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [first] = doc.errors;
  if (first) {
    const [line, column] = first.linePos ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    throw composeError({ file, line, column }, [], `invalid yaml: ${first.message.split('\n')[0]}`);
  }
  const locations = new SourceLocations(file);
  const converter = new NodeConverter(doc, lineCounter, locations);
  const model = doc.contents ? converter.convert(doc.contents, []) : null;
  if (model === null) throw composeError(file, [], 'empty compose file', 'a compose file needs at least a services: mapping');
  if (!isRawMap(model)) throw composeError({ file, line: 1, column: 1 }, [], 'top-level object must be a mapping');
  return { file, model, locations };
}

class NodeConverter {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly locations: SourceLocations,
  ) {}

  convert(node: Node | null | undefined, path: KeyPath): RawValue {
    if (!node) return null;
    if (isAlias(node)) return this.convert(node.resolve(this.doc) ?? null, path);
    const value = this.convertUntagged(node, path);
    if (node.tag === '!reset') return new YamlTag('!reset', value);
    if (node.tag === '!override') return new YamlTag('!override', value);
    return value;
  }

  private convertUntagged(node: Node, path: KeyPath): RawValue {
    if (isScalar(node)) return toRawScalar(node.value);
    if (isSeq(node)) return node.items.map((item, i) => this.convert(item as Node, [...path, i]));
    if (!isMap(node)) return null;
    const out: RawMap = {};
    const merged: RawMap[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value ?? '') : String(keyNode ?? '');
      if (key === '<<') {
        const source = this.convert(pair.value as Node, path);
        for (const m of Array.isArray(source) ? source : [source]) if (isRawMap(m)) merged.push(m);
        continue;
      }
      const offset = keyNode?.range?.[0];
      if (offset !== undefined) {
        const { line, col } = this.lines.linePos(offset);
        this.locations.set([...path, key], line, col);
      }
      out[key] = this.convert(pair.value as Node, [...path, key]);
    }
    // `<<` merges: explicit keys win, then earlier merged maps win over later ones (YAML merge-key spec).
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    return out;
  }
}

function toRawScalar(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
