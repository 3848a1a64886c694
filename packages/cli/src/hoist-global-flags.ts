// SPDX-License-Identifier: Apache-2.0

/**
 * Moves global flags written before the command, docker style (`tsc-engine --host /x.sock ps`), to just after the
 * command's id, where oclif looks for them. Only the leading run of `--host`/`--[no-]autostart` is moved, so a
 * container command's own flags (`run img sh --host`) are never touched.
 */
export function hoistGlobalFlags(argv: string[], topics: ReadonlySet<string>): string[] {
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--host' && i + 1 < argv.length) leading.push(token, argv[++i]);
    else if (token.startsWith('--host=') || token === '--autostart' || token === '--no-autostart') leading.push(token);
    else break;
  }
  if (leading.length === 0) return argv;
  const rest = argv.slice(i);
  const idLength = rest.length > 1 && topics.has(rest[0]) ? 2 : 1;
  return [...rest.slice(0, idLength), ...leading, ...rest.slice(idLength)];
}
