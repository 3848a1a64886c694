// SPDX-License-Identifier: Apache-2.0
// An esbuild plugin for bundles of the compose loader: this package's commands bundle (bundle-commands.js) and the
// CLI's bundle, which holds the compose commands too (packages/cli/scripts/bundle.js).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VALIDATOR = join(root, 'lib', 'loader', 'compose-spec-validator.js');
const VARIABLE_IMPORT = "const generated = './compose-spec-validator.js';";

/**
 * The loader imports the generated schema validator by a variable specifier (tsc has no source to check it against),
 * which a bundler cannot follow; here the file is there (`build:assets` made it), so it becomes a literal import and
 * the validator part of the bundle, loaded when a command validates.
 */
export const schemaValidatorImport = {
  name: 'schema-validator-import',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]loader[\\/]schema-validator\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!existsSync(VALIDATOR)) return { contents: source, loader: 'js' };
      if (!source.includes(VARIABLE_IMPORT)) throw new Error(`${args.path}: no longer imports the validator as \`${VARIABLE_IMPORT}\`; update ${relative(root, fileURLToPath(import.meta.url))}`);
      const contents = source.replace(VARIABLE_IMPORT, '').replace('await import(generated)', "await import('./compose-spec-validator.js')");
      return { contents, loader: 'js' };
    });
  },
};
