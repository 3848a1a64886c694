// SPDX-License-Identifier: Apache-2.0
import { statSync } from 'node:fs';

/**
 * What oclif loads the compose commands from (the `explicit` strategy in package.json): dist/commands.js, the
 * commands bundled by scripts/bundle-commands.js, so a compose command starts from one file rather than ~200
 * modules. In a checkout whose sources `tsc -b` compiled since the bundle was made, it is bundled again first, so
 * no compiled change is ignored; an installed package has no build info and never is.
 */
const modified = (path: string): number => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundle = '../dist/commands.js';
if (Math.max(modified('../tsconfig.tsbuildinfo'), modified('../../core/tsconfig.tsbuildinfo')) > modified(bundle)) {
  // Variable specifiers: plain JavaScript files outside tsc's view.
  const script = '../scripts/bundle-commands.js';
  await ((await import(script)) as { bundleCommands(): Promise<unknown> }).bundleCommands();
}

const bundled = (await import(bundle)) as { COMMANDS: Record<string, unknown> };
export const COMMANDS = bundled.COMMANDS;
