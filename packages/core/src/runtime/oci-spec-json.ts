// SPDX-License-Identifier: Apache-2.0
import type { OciSpec } from './oci-spec.js';

/** RLIM_INFINITY, `(rlim_t)-1`: more than a JavaScript number holds exactly, so it is written as text. */
const RLIM_INFINITY = '18446744073709551615';
const INFINITY_MARK = '\u0000rlim-infinity\u0000';

/**
 * A spec as the runtime's config.json. `Infinity` in it (an unlimited rlimit) becomes RLIM_INFINITY: plain
 * JSON.stringify would write `null`, and the nearest double, 18446744073709552000, overflows the runtime's uint64.
 */
export function ociSpecJson(spec: OciSpec): string {
  return JSON.stringify(spec, (_key, value: unknown) => (value === Infinity ? INFINITY_MARK : value)).replaceAll(
    JSON.stringify(INFINITY_MARK),
    RLIM_INFINITY,
  );
}
