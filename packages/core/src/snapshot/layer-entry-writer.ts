// SPDX-License-Identifier: Apache-2.0
import {
  chmodSync, closeSync, constants, copyFileSync, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lstatSync,
  lutimesSync, mkdirSync, openSync, readlinkSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeSync, type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { Header } from 'tar-stream';
import type { EntryBody } from '../archive/tar-parser.js';
import { major, minor } from '../archive/device-number.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { SpecialFileBatch, type SpecialNode } from './special-file-batch.js';

export interface LayerEntryWriterOptions {
  /** Unpacked lower layers, TOP first, searched for hardlink targets this layer does not hold. */
  lowerDirs: string[];
  /** Resolves once every lower layer is fully unpacked; called only when a hardlink names a lower file. */
  parentsReady: () => Promise<void>;
}

/** What this layer holds at a path, as far as its own entries made it. */
type Kind = 'dir' | 'file' | 'symlink' | 'special';

/** One inode's `st_size`, shared by the paths hard-linked to it so that it is counted once. */
interface Inode {
  size: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_WHITEOUT = '.wh..wh..opq';
const MAX_SYMLINK_HOPS = 255;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const EUID = process.geteuid?.() ?? 0;
const EGID = process.getegid?.() ?? 0;

/**
 * Writes the entries of one OCI layer tar into an empty directory it owns, converting OCI whiteouts to overlayfs
 * form (`.wh.x` → 0/0 char device `x`, `.wh..wh..opq` → `trusted.overlay.opaque=y`). Single use: one instance per
 * layer. It makes synchronous fs calls, so it runs on a thread of its own ({@link LayerUnpacker}'s worker): a file
 * then costs its syscalls and nothing else, where `fs/promises` paid a trip through libuv's thread pool for each.
 *
 * Confinement: nothing is ever written, linked or resolved outside `dir`. Entry names and hardlink targets are
 * resolved component by component against what this writer created, which is exactly what the directory holds
 * since it starts empty and is private to the unpack. That replaces an lstat per component with a map lookup on the
 * hot path. `..` stops at the layer root, and a symlink met in a parent position is followed *inside* the layer
 * (an absolute target restarts at the layer root), as containerd's `fs.RootPath` does, so `a -> /etc` then
 * `a/passwd` writes `<layer>/etc/passwd`. Files are opened with O_EXCL|O_NOFOLLOW after anything in the way has been
 * removed, so the last component is never followed either. Hardlinks must name a file of this layer or of a lower
 * one; anything else is refused with an {@link InvalidArgumentError}.
 */
export class LayerEntryWriter {
  private readonly kinds = new Map<string, Kind>([['', 'dir']]);
  /** Targets of the symlinks in {@link kinds}, for resolving paths through them. */
  private readonly linkTargets = new Map<string, string>();
  /** The files and symlinks of {@link kinds}, for {@link unpackedSize}. */
  private readonly inodes = new Map<string, Inode>();
  private readonly dirTimes: Array<[path: string, mtime: Date]> = [];
  private readonly special = new SpecialFileBatch();
  /** Directories whose new entries inherit the group, so even a root-owned entry needs its chown. */
  private readonly setgidDirs = new Set<string>();
  private readonly umask = process.umask();

  constructor(
    private readonly dir: string,
    private readonly options: LayerEntryWriterOptions,
  ) {}

  /** Applies one entry; a regular file's data then goes to the body returned. */
  async apply(header: Header): Promise<EntryBody | undefined> {
    const parts = header.name.split('/').filter((p: string) => p !== '' && p !== '.');
    const base = parts.pop();
    if (base === undefined || base === '..') {
      // The entry names a directory the layer already has (`./`, `a/..`): only its metadata can change.
      if (header.type !== 'directory') return;
      const path = this.resolve(header.name, true);
      if (path !== '') this.ensureDir(parentOf(path), header.name);
      this.makeDir(path, header);
      return undefined;
    }
    const parent = this.resolve(parts.join('/'), true);
    this.ensureDir(parent, header.name);
    if (base === OPAQUE_WHITEOUT) {
      this.special.addOpaqueDir(this.abs(parent));
    } else if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      // Other AUFS metadata (`.wh..wh.plnk`, `.wh..wh.aufs`) means nothing to overlayfs.
    } else if (base.startsWith(WHITEOUT_PREFIX)) {
      this.whiteout(posix.join(parent, base.slice(WHITEOUT_PREFIX.length)), header);
    } else {
      return this.create(posix.join(parent, base), header);
    }
  }

  /**
   * Bytes of what the layer holds, as `directorySize` would count them after the unpack (regular files and
   * symlinks, each inode once; device nodes and directories add nothing), without walking the tree again.
   */
  get unpackedSize(): number {
    let total = 0;
    for (const inode of new Set(this.inodes.values())) total += inode.size;
    return total;
  }

  /** Makes the device nodes and opaque markers, then sets the directories' times; call after the last entry. */
  async finish(): Promise<void> {
    await this.special.apply();
    // Last, because creating entries (including the batch's device nodes) updates their directory's mtime.
    // A directory's times do not depend on its parent's, so the order does not matter.
    for (const [path, mtime] of this.dirTimes) utimesSync(path, mtime, mtime);
  }

  private async create(path: string, header: Header): Promise<EntryBody | undefined> {
    const existing = this.kinds.get(path);
    if (existing === 'dir' && header.type === 'directory') {
      this.makeDir(path, header);
      return undefined;
    }
    if (existing !== undefined) this.removeExisting(path, existing);
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        return this.writeFile(path, header);
      case 'directory':
        this.makeDir(path, header);
        break;
      case 'symlink': {
        const target = linknameOf(header);
        this.kinds.set(path, 'symlink');
        this.linkTargets.set(path, target);
        this.inodes.set(path, { size: Buffer.byteLength(target) });
        symlinkSync(target, this.abs(path));
        if (this.needsChown(path, header)) lchownSync(this.abs(path), header.uid, header.gid);
        lutimesSync(this.abs(path), header.mtime, header.mtime);
        break;
      }
      case 'link':
        await this.hardlink(path, header);
        break;
      case 'character-device':
      case 'block-device':
      case 'fifo':
        this.addSpecial(path, {
          mode: typeBits(header.type) | (header.mode & 0o7777),
          major: header.devmajor,
          minor: header.devminor,
          uid: header.uid,
          gid: header.gid,
          mtime: header.mtime,
        });
        break;
      default:
        // Other types (the parser already consumed pax and GNU long-name records) carry nothing to create.
        break;
    }
    return undefined;
  }

  /**
   * The layer-relative path (no `.`/`..`/symlink component, `''` for the root) that `name` designates, following
   * this layer's symlinks inside the layer. The last component is followed only when `followLast`.
   */
  private resolve(name: string, followLast: boolean): string {
    const todo = name.split('/').reverse();
    let resolved: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const part = todo.pop()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = [...resolved, part].join('/');
      if (this.kinds.get(candidate) === 'symlink' && (todo.length > 0 || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) throw new InvalidArgumentError(`layer entry "${name}": too many levels of symlinks`);
        const target = this.linkTargets.get(candidate) ?? '';
        if (target.startsWith('/')) resolved = [];
        todo.push(...target.split('/').reverse());
        continue;
      }
      resolved.push(part);
    }
    return resolved.join('/');
  }

  private ensureDir(path: string, entryName: string): void {
    const kind = this.kinds.get(path);
    if (kind === 'dir') return;
    if (kind !== undefined) {
      throw new InvalidArgumentError(`layer entry "${entryName}": parent "${path}" is not a directory`);
    }
    this.ensureDir(parentOf(path), entryName);
    mkdirSync(this.abs(path), 0o755);
    this.kinds.set(path, 'dir');
  }

  private makeDir(path: string, header: Header): void {
    if (this.kinds.get(path) !== 'dir') {
      mkdirSync(this.abs(path));
      this.kinds.set(path, 'dir');
    }
    lchownSync(this.abs(path), header.uid, header.gid);
    chmodSync(this.abs(path), header.mode & 0o7777);
    if (header.mode & 0o2000) this.setgidDirs.add(path);
    else this.setgidDirs.delete(path);
    this.dirTimes.push([this.abs(path), header.mtime]);
  }

  private writeFile(path: string, header: Header): EntryBody {
    this.kinds.set(path, 'file');
    this.inodes.set(path, { size: header.size });
    const fd = openSync(this.abs(path), CREATE_FLAGS, header.mode & 0o777);
    let open = true;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    return {
      write: (chunk) => {
        try {
          writeAll(fd, chunk);
        } catch (error) {
          close();
          throw error;
        }
      },
      end: () => {
        try {
          if (this.needsChown(path, header)) fchownSync(fd, header.uid, header.gid);
          // chmod after chown, which clears setuid/setgid; and when the umask took bits away.
          if ((header.mode & 0o7000) !== 0 || (header.mode & this.umask & 0o777) !== 0) fchmodSync(fd, header.mode & 0o7777);
          futimesSync(fd, header.mtime, header.mtime);
        } finally {
          close();
        }
      },
      abandon: close,
    };
  }

  /** Whether a new entry at `path` would not get the header's owner by itself. */
  private needsChown(path: string, header: Header): boolean {
    return header.uid !== EUID || header.gid !== EGID || this.setgidDirs.has(parentOf(path));
  }

  private async hardlink(path: string, header: Header): Promise<void> {
    const linkname = linknameOf(header);
    const target = this.resolve(linkname, false);
    const kind = this.kinds.get(target);
    if (kind === 'file' || kind === 'symlink') {
      linkSync(this.abs(target), this.abs(path));
      this.kinds.set(path, kind);
      this.inodes.set(path, this.inodes.get(target)!);
      if (kind === 'symlink') this.linkTargets.set(path, this.linkTargets.get(target)!);
    } else if (kind === 'special') {
      // Device nodes are made at the end of the layer; an identical second node stands in for the link.
      this.addSpecial(path, this.special.node(this.abs(target))!);
    } else if (kind === 'dir') {
      throw new InvalidArgumentError(`layer entry "${header.name}": hardlink to directory "${linkname}"`);
    } else {
      await this.linkFromLower(path, target, header);
    }
  }

  /**
   * Links a file that only a lower layer holds. Lower layers are searched top first, as overlayfs would, with
   * lstat on every component: a whiteout hides what is below it, and a symlink in a parent position is refused
   * rather than followed, since its target might lie outside the layers.
   */
  private async linkFromLower(path: string, target: string, header: Header): Promise<void> {
    const refuse = (why: string) =>
      new InvalidArgumentError(`layer entry "${header.name}": hardlink target "${linknameOf(header)}" ${why}`, {
        hint: 'the image is malformed or hostile; hardlinks may only name files of the image',
      });
    if (target === '') throw refuse('is the layer root');
    if (this.options.lowerDirs.length > 0) await this.options.parentsReady();
    const parts = target.split('/');
    for (const lower of this.options.lowerDirs) {
      let current = lower;
      for (let i = 0; i < parts.length; i++) {
        current = join(current, parts[i]);
        const stats = lstatIfExists(current);
        if (stats === undefined) break;
        if (stats.isCharacterDevice() && stats.rdev === 0) throw refuse('was deleted by a lower layer');
        const last = i === parts.length - 1;
        if (!last && stats.isSymbolicLink()) throw refuse('passes through a symlink');
        if (!last && !stats.isDirectory()) throw refuse('passes through a non-directory');
        if (!last) continue;
        if (stats.isDirectory()) throw refuse('is a directory');
        if (stats.isFile() || stats.isSymbolicLink()) {
          linkOrCopy(current, this.abs(path));
          this.kinds.set(path, stats.isFile() ? 'file' : 'symlink');
          this.inodes.set(path, { size: stats.size });
          if (stats.isSymbolicLink()) this.linkTargets.set(path, readlinkSync(current));
          return;
        }
        return this.addSpecial(path, {
          mode: stats.mode, major: major(stats.rdev), minor: minor(stats.rdev), uid: stats.uid, gid: stats.gid,
          mtime: stats.mtime,
        });
      }
    }
    throw refuse('is not in the layer or its parents');
  }

  private whiteout(path: string, header: Header): void {
    const name = posix.basename(path);
    if (name === '' || name === '.' || name === '..') {
      throw new InvalidArgumentError(`layer entry "${header.name}": invalid whiteout`);
    }
    // A whiteout hides lower files only; an entry of this layer with the same name stays.
    if (this.kinds.has(path)) return;
    this.addSpecial(path, { mode: S_IFCHR, major: 0, minor: 0, uid: header.uid, gid: header.gid, mtime: header.mtime });
  }

  private addSpecial(path: string, node: SpecialNode): void {
    this.special.addNode(this.abs(path), node);
    this.kinds.set(path, 'special');
  }

  private removeExisting(path: string, kind: Kind): void {
    const prefix = `${path}/`;
    for (const map of [this.kinds, this.linkTargets, this.inodes]) {
      for (const key of map.keys()) if (key === path || key.startsWith(prefix)) map.delete(key);
    }
    this.special.remove(this.abs(path));
    if (kind === 'special') return;
    if (kind === 'dir') {
      rmSync(this.abs(path), { recursive: true });
      const absPrefix = this.abs(path);
      for (let i = this.dirTimes.length - 1; i >= 0; i--) {
        if (this.dirTimes[i][0] === absPrefix || this.dirTimes[i][0].startsWith(`${absPrefix}/`)) this.dirTimes.splice(i, 1);
      }
    } else {
      unlinkSync(this.abs(path));
    }
  }

  private abs(path: string): string {
    return path === '' ? this.dir : `${this.dir}/${path}`;
  }
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    // Layers on another file system (or hardlink protections) cannot share inodes: copy, keeping metadata, and
    // never through a symlink, whose target could be a host file.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    const stats = lstatSync(from);
    if (stats.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
      lchownSync(to, stats.uid, stats.gid);
      lutimesSync(to, stats.atime, stats.mtime);
      return;
    }
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    lchownSync(to, stats.uid, stats.gid);
    chmodSync(to, stats.mode & 0o7777);
    utimesSync(to, stats.atime, stats.mtime);
  }
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function typeBits(type: Header['type']): number {
  return type === 'character-device' ? S_IFCHR : type === 'block-device' ? S_IFBLK : S_IFIFO;
}

/** tar-stream yields null, despite its types, for an entry without a link name. */
function linknameOf(header: Header): string {
  return header.linkname ?? '';
}
