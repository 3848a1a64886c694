// SPDX-License-Identifier: Apache-2.0
import type { Stats } from 'node:fs';

/**
 * What `HEAD /containers/{id}/archive` answers about a path, base64 JSON in the `X-Docker-Container-Path-Stat`
 * header (moby `api/types/container.PathStat`). `mode` is a Go `os.FileMode`: permission bits plus Go's own type
 * bits, which the docker CLI tests (`Mode&os.ModeSymlink`, `Mode.IsDir()`), not the `st_mode` type bits.
 */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  /** RFC 3339. */
  mtime: string;
  /** For a symlink: its target resolved inside the container, as an absolute container path; else empty. */
  linkTarget: string;
}

export const PATH_STAT_HEADER = 'X-Docker-Container-Path-Stat';

const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_DEVICE = 2 ** 26;
const GO_MODE_NAMED_PIPE = 2 ** 25;
const GO_MODE_SOCKET = 2 ** 24;
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_CHAR_DEVICE = 2 ** 21;
const GO_MODE_STICKY = 2 ** 20;

/** Go's `os.FileMode` of an lstat result (Go's `fillFileStatFromSys`). */
export function goFileMode(stats: Stats): number {
  let mode = stats.mode & 0o777;
  if (stats.isDirectory()) mode += GO_MODE_DIR;
  else if (stats.isSymbolicLink()) mode += GO_MODE_SYMLINK;
  else if (stats.isBlockDevice()) mode += GO_MODE_DEVICE;
  else if (stats.isCharacterDevice()) mode += GO_MODE_DEVICE + GO_MODE_CHAR_DEVICE;
  else if (stats.isFIFO()) mode += GO_MODE_NAMED_PIPE;
  else if (stats.isSocket()) mode += GO_MODE_SOCKET;
  if (stats.mode & 0o4000) mode += GO_MODE_SETUID;
  if (stats.mode & 0o2000) mode += GO_MODE_SETGID;
  if (stats.mode & 0o1000) mode += GO_MODE_STICKY;
  return mode;
}

export function isGoModeDir(mode: number): boolean {
  return Math.floor(mode / GO_MODE_DIR) % 2 === 1;
}

export function isGoModeSymlink(mode: number): boolean {
  return Math.floor(mode / GO_MODE_SYMLINK) % 2 === 1;
}

export function encodePathStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

export function decodePathStat(header: string): PathStat {
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}
