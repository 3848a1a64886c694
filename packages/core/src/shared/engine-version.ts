// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

/** The engine's version: core's package version, read once. */
export const ENGINE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
