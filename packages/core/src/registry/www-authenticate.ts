// SPDX-License-Identifier: Apache-2.0

/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…"`. */
export interface AuthChallenge {
  /** Lower-cased: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235), which may carry several challenges separated by commas, the
 * same character that separates parameters: a token not followed by `=` starts a new challenge.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const skip = (pattern: RegExp) => {
    while (i < header.length && pattern.test(header[i])) i++;
  };
  const token = () => {
    const start = i;
    skip(/[^\s,=]/);
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const word = token();
    if (!word) break;
    skip(/\s/);
    if (header[i] === '=' && challenges.length > 0) {
      i++;
      skip(/\s/);
      challenges[challenges.length - 1].params[word.toLowerCase()] = value();
    } else {
      challenges.push({ scheme: word.toLowerCase(), params: {} });
    }
  }
  return challenges;

  function value(): string {
    if (header[i] !== '"') return token();
    let out = '';
    for (i++; i < header.length && header[i] !== '"'; i++) {
      if (header[i] === '\\' && i + 1 < header.length) i++;
      out += header[i];
    }
    i++;
    return out;
  }
}
