// SPDX-License-Identifier: Apache-2.0
// `@tsc-engine/core/archive`: tar streams of paths and their confined extraction, shared by the daemon's
// `/containers/{id}/archive` and the CLI's `cp`; a subpath of its own so only `cp` loads tar-stream.
export { packPath } from './pack-path.js';
export { extractArchive, type ExtractTarget } from './extract-archive.js';
export { PATH_STAT_HEADER, decodePathStat, encodePathStat, goFileMode, isGoModeDir, isGoModeSymlink, type PathStat } from './path-stat.js';
export { resolveInRoot } from '../runtime/resolve-in-root.js';
