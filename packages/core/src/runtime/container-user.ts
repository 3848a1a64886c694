// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciProcess } from './oci-spec.js';
import { resolveInRoot } from './resolve-in-root.js';

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const UINT32_MAX = 0xffff_ffff;

/**
 * The process user for Docker's `--user` / image `User` (`user[:group]`, each a name or a number) as Docker
 * resolves it (moby/sys/user `GetExecUser`): names are looked up in the image's /etc/passwd and /etc/group, a
 * number needs no entry, the group defaults to the user's primary group (0 for an unknown uid), and the
 * additional groups are those listing the user as a member, unless a group was given.
 */
export async function resolveContainerUser(rootfs: string, spec = ''): Promise<OciProcess['user']> {
  const [userPart, groupPart] = splitOnce(spec, ':');
  const user = userPart || '0';
  const passwd = await readEntries(rootfs, '/etc/passwd', parsePasswd);
  const numericUid = toId(user);
  const entry = numericUid === undefined ? passwd.find((p) => p.name === user) : passwd.find((p) => p.uid === numericUid);
  if (!entry && numericUid === undefined) {
    throw new InvalidArgumentError(`unable to find user ${user}: no matching entries in passwd file`);
  }
  const uid = numericUid ?? (entry as PasswdEntry).uid;
  let gid = entry?.gid ?? 0;
  if (groupPart) {
    const numericGid = toId(groupPart);
    if (numericGid !== undefined) {
      gid = numericGid;
    } else {
      const groups = await readEntries(rootfs, '/etc/group', parseGroup);
      const group = groups.find((g) => g.name === groupPart);
      if (!group) throw new InvalidArgumentError(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = group.gid;
    }
    return { uid, gid };
  }
  if (!entry) return { uid, gid };
  const groups = await readEntries(rootfs, '/etc/group', parseGroup);
  const additionalGids = [...new Set(groups.filter((g) => g.members.includes(entry.name)).map((g) => g.gid))];
  return additionalGids.length > 0 ? { uid, gid, additionalGids } : { uid, gid };
}

/**
 * `--group-add` entries as gids (moby/sys/user `GetAdditionalGroupsPath`): a name or number listed in the image's
 * /etc/group, or any number in range even if unlisted.
 */
export async function resolveAdditionalGroups(rootfs: string, names: string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const groups = await readEntries(rootfs, '/etc/group', parseGroup);
  return names.map((name) => {
    const listed = groups.find((g) => g.name === name || String(g.gid) === name);
    if (listed) return listed.gid;
    const gid = toId(name);
    if (gid === undefined) throw new InvalidArgumentError(`unable to find group ${name}: no matching entries in group file`);
    return gid;
  });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

function toId(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  if (value > UINT32_MAX) throw new InvalidArgumentError(`user or group id ${text} is out of range`);
  return value;
}

async function readEntries<T>(rootfs: string, path: string, parse: (fields: string[]) => T | undefined): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(await resolveInRoot(rootfs, path), 'utf8');
  } catch (error) {
    // An image without the file has no names to resolve; numeric ids still work.
    if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => parse(line.split(':')))
    .filter((entry): entry is T => entry !== undefined);
}

const isId = (field: string | undefined): field is string => field !== undefined && /^\d+$/.test(field);

function parsePasswd([name, , uid, gid]: string[]): PasswdEntry | undefined {
  if (!name || !isId(uid) || !isId(gid)) return undefined;
  return { name, uid: Number(uid), gid: Number(gid) };
}

function parseGroup([name, , gid, members = '']: string[]): GroupEntry | undefined {
  if (!name || !isId(gid)) return undefined;
  return { name, gid: Number(gid), members: members.split(',').filter(Boolean) };
}
