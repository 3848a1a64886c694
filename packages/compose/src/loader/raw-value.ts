// SPDX-License-Identifier: Apache-2.0

/**
 * A compose file as read from YAML, before it is normalised: plain JSON-like values, plus the two compose-spec
 * merge tags (`!reset`, `!override`) kept as {@link YamlTag} so the merge can honour them.
 */
export type RawScalar = string | number | boolean | null;
export type RawValue = RawScalar | RawValue[] | RawMap | YamlTag;
export interface RawMap {
  [key: string]: RawValue;
}

/** A value carrying a compose merge tag: `!reset` removes what earlier files set, `!override` replaces it whole. */
export class YamlTag {
  constructor(
    readonly tag: '!reset' | '!override',
    readonly value: RawValue,
  ) {}
}

/** A key path into a compose model, e.g. `['services', 'web', 'ports', 0]`. */
export type KeyPath = readonly (string | number)[];

export function isRawMap(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof YamlTag);
}

/** `services.web.ports[0]`: how errors name a key. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** Drops the merge tags once merging is over: `!override` keeps its value, `!reset` entries disappear. */
export function stripTags(value: RawValue): RawValue {
  if (value instanceof YamlTag) return value.tag === '!override' ? stripTags(value.value) : null;
  if (Array.isArray(value)) return value.filter((v) => !isReset(v)).map(stripTags);
  if (isRawMap(value)) {
    const out: RawMap = {};
    for (const [key, v] of Object.entries(value)) if (!isReset(v)) out[key] = stripTags(v);
    return out;
  }
  return value;
}

export function isReset(value: RawValue | undefined): boolean {
  return value instanceof YamlTag && value.tag === '!reset';
}
