// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { FailedPreconditionError, InternalError } from '../errors/engine-error.js';

/** A device node or fifo to create with its metadata; an overlay whiteout is a 0/0 character device. */
export interface SpecialNode {
  /** `st_mode`: file type bits and permissions. */
  mode: number;
  major: number;
  minor: number;
  uid: number;
  gid: number;
  mtime: Date;
}

/**
 * The parts of a layer Node cannot make itself: device nodes and fifos (no `mknod`) and opaque directories (no
 * `setxattr`). They are collected while a layer is unpacked and made at its end by one python3 process, because
 * one interpreter start (~20 ms) per layer that has any of them beats a `mknod`/`setfattr` process per entry, and
 * python3's `os` module does both jobs with no extra package. Paths are absolute and already confined by the
 * caller; the script never follows a symlink.
 */
export class SpecialFileBatch {
  private readonly nodes = new Map<string, SpecialNode>();
  private readonly opaqueDirs = new Set<string>();

  addNode(path: string, node: SpecialNode): void {
    this.nodes.set(path, node);
  }

  node(path: string): SpecialNode | undefined {
    return this.nodes.get(path);
  }

  /** Forgets the node at `path`, and any under it, when a later entry of the layer replaces it. */
  remove(path: string): void {
    const prefix = `${path}/`;
    for (const key of this.nodes.keys()) if (key === path || key.startsWith(prefix)) this.nodes.delete(key);
    for (const dir of this.opaqueDirs) if (dir === path || dir.startsWith(prefix)) this.opaqueDirs.delete(dir);
  }

  addOpaqueDir(path: string): void {
    this.opaqueDirs.add(path);
  }

  async apply(): Promise<void> {
    if (this.nodes.size === 0 && this.opaqueDirs.size === 0) return;
    const fields: string[] = [];
    for (const [path, n] of this.nodes) {
      fields.push('n', path, String(n.mode), String(n.major), String(n.minor), String(n.uid), String(n.gid),
        String(BigInt(n.mtime.getTime()) * 1_000_000n));
    }
    for (const dir of this.opaqueDirs) fields.push('o', dir);
    await runPython(SCRIPT, Buffer.from(fields.map((f) => `${f}\0`).join('')));
  }
}

/** Reads NUL-separated records from stdin: `n path mode major minor uid gid mtime_ns` and `o dir`. */
const SCRIPT = `
import os, sys
os.umask(0)
f = sys.stdin.buffer.read().split(b'\\0')
i = 0
while i < len(f) - 1:
    if f[i] == b'n':
        p, mode, major, minor, uid, gid, ns = f[i + 1:i + 8]
        i += 8
        os.mknod(p, int(mode), os.makedev(int(major), int(minor)))
        os.chown(p, int(uid), int(gid), follow_symlinks=False)
        os.chmod(p, int(mode) & 0o7777)
        os.utime(p, ns=(int(ns), int(ns)), follow_symlinks=False)
    else:
        os.setxattr(f[i + 1], 'trusted.overlay.opaque', b'y', follow_symlinks=False)
        i += 2
`;

let python: Promise<string> | undefined;

/** The system python3; /usr/bin first, so a user's pyenv shim (slow to start) is not picked from PATH. */
export function pythonPath(): Promise<string> {
  python ??= access('/usr/bin/python3').then(() => '/usr/bin/python3', () => 'python3');
  return python;
}

async function runPython(script: string, input: Buffer): Promise<void> {
  const child = spawn(await pythonPath(), ['-I', '-S', '-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new FailedPreconditionError('unpack layer: python3 not found (needed for device nodes and whiteouts)', {
          cause: error,
          hint: 'install python3 (apt-get install python3-minimal)',
        })
      : error;
  });
  if (code !== 0) {
    throw new InternalError(`unpack layer: making device nodes and opaque dirs failed: ${Buffer.concat(stderr).toString().trim()}`);
  }
}
