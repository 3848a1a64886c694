// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { injectable } from 'inversify';
import type { EngineConfig } from '../config/engine-config.js';
import { digestHex } from '../content/digest.js';
import { InternalError, InvalidArgumentError, NotFoundError } from '../errors/engine-error.js';
import { directorySize } from '../image/directory-size.js';
import { layerDecompressor } from '../image/layer-decompressor.js';
import { hostTool } from '../runtime/find-executable.js';
import { ProcessFailedError, runProcess } from '../shared/process-runner.js';
import { DiffIdTap } from './diff-id-tap.js';
import { LayerUnpacker } from './layer-unpacker.js';
import type { AppliedLayer, ApplyLayerOptions, Snapshotter } from './snapshotter.js';

/** The kernel copies mount options into one page. */
const MOUNT_OPTIONS_MAX = 4095;
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const SIZE_FILE = 'size';
/**
 * Transient containers' layers (`--rm`) are mounted `volatile`: overlayfs then never syncs the upper file system,
 * which is the host's whole root file system. Without it every unmount waits for a sync of the host's disk, behind
 * any other writer's: tens to hundreds of ms on a busy host. The cost, an fsync inside the container that does not
 * reach the disk, is only acceptable for a container that is thrown away when it exits — the trade podman makes.
 * Other containers keep overlayfs' default, so a host crash loses nothing they synced to their own layer.
 */
const VOLATILE = ',volatile';

/**
 * {@link Snapshotter} on overlayfs. Layout under `root`:
 * - `layers/<chain-id-hex>/fs`: one unpacked layer, whiteouts already in overlayfs form;
 * - `layers/<chain-id-hex>/size`: the bytes of its files in decimal, counted while it was unpacked;
 * - `layers/.tmp-<random>/`: a layer being unpacked (or being removed), renamed into place when complete, so a
 *   crash leaves only `.tmp-*` entries, which {@link cleanup} deletes;
 * - `containers/<id>/{upper,work}`: a container's writable layer and overlayfs' work directory.
 *
 * Layers are independent directories, so images' layers unpack in parallel; only hardlinks to lower files wait for
 * the parents. The root is a constructor argument rather than an injected config so tests and tools can make one
 * with `new`; the daemon binds it with {@link OverlaySnapshotter.fromConfig} in a dynamic value.
 */
@injectable()
export class OverlaySnapshotter implements Snapshotter {
  private readonly layersDir: string;
  private readonly containersDir: string;
  private volatile = true;

  constructor(readonly root: string) {
    this.root = resolve(root);
    this.layersDir = join(this.root, 'layers');
    this.containersDir = join(this.root, 'containers');
  }

  /** The snapshotter of a daemon: `<data-root>/overlay`. */
  static fromConfig(config: EngineConfig): OverlaySnapshotter {
    return new OverlaySnapshotter(join(config.dataRoot, 'overlay'));
  }

  layerPath(chainId: string): string {
    return join(this.layersDir, digestHex(chainId), 'fs');
  }

  async hasLayer(chainId: string): Promise<boolean> {
    return exists(this.layerPath(chainId));
  }

  async applyLayer(chainId: string, parents: string[], tar: Readable, options: ApplyLayerOptions = {}): Promise<AppliedLayer> {
    const target = join(this.layersDir, digestHex(chainId));
    if (await exists(target)) return digestOnly(tar, options);
    const tmp = await this.makeTmpDir();
    try {
      await mkdir(join(tmp, 'fs'));
      const unpacker = new LayerUnpacker(join(tmp, 'fs'), {
        lowerDirs: parents.map((parent) => this.layerPath(parent)).reverse(),
        parentsReady: options.parentsReady,
        compression: options.compression,
        signal: options.signal,
      });
      const { diffId, size, unpackedSize } = await unpacker.unpack(tar);
      await writeFile(join(tmp, SIZE_FILE), String(unpackedSize));
      await rename(tmp, target).catch(async (error: NodeJS.ErrnoException) => {
        // Another pull unpacked the same layer meanwhile; its copy is as good as ours.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        await rm(tmp, { recursive: true, force: true });
      });
      return { diffId, size };
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
  }

  prepareToApply(count: number): void {
    LayerUnpacker.warm(count);
  }

  async layerSize(chainId: string): Promise<number> {
    const recorded = await readFile(join(this.layersDir, digestHex(chainId), SIZE_FILE), 'utf8').catch(() => '');
    // Layers unpacked before the size was recorded are walked instead.
    return /^\d+$/.test(recorded) ? Number(recorded) : directorySize(this.layerPath(chainId));
  }

  async removeLayer(chainId: string): Promise<void> {
    const dir = join(this.layersDir, digestHex(chainId));
    // Renamed first so a half-removed layer is never taken for a complete one.
    const doomed = await this.makeTmpName();
    try {
      await rename(dir, doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  async mountRootfs(containerId: string, layers: string[], target: string, { transient = false }: { transient?: boolean } = {}): Promise<void> {
    const dir = this.containerDir(containerId);
    // Mounted already (a restart, or `cp` into a container never started): a second overlay would stack on it.
    if (await isMountPoint(target)) return;
    const [present, , reused] = await Promise.all([
      Promise.all(layers.map((layer) => this.hasLayer(layer))),
      mkdir(join(dir, 'upper'), { recursive: true }),
      // undefined when the work dir exists: the container's layer was mounted before (by a previous boot).
      mkdir(join(dir, 'work'), { recursive: true }).then((created) => created === undefined),
      mkdir(target, { recursive: true }),
    ]);
    const missing = layers.find((_layer, index) => !present[index]);
    if (missing) throw new NotFoundError(`mount rootfs of ${containerId}: layer ${missing} not found`);
    // Every volatile mount leaves this mark, and overlayfs refuses a work dir that has one. It is cleared rather
    // than the layer thrown away, so the container keeps what it wrote, as without `volatile` (see VOLATILE).
    if (reused) await rm(join(dir, 'work', 'work', 'incompat'), { recursive: true, force: true });
    // Paths relative to the layers dir (mount runs there) keep many layers within the one-page option limit.
    const lowers = layers.map((layer) => relative(this.layersDir, this.layerPath(layer))).reverse();
    if (lowers.length === 0) {
      // overlayfs needs a lower dir; an image without layers gets an empty one.
      await mkdir(join(dir, 'empty'), { recursive: true });
      lowers.push(relative(this.layersDir, join(dir, 'empty')));
    }
    const options = [
      `lowerdir=${lowers.join(':')}`,
      `upperdir=${relative(this.layersDir, join(dir, 'upper'))}`,
      `workdir=${relative(this.layersDir, join(dir, 'work'))}`,
    ].join(',');
    if (options.length + VOLATILE.length > MOUNT_OPTIONS_MAX) {
      throw new InvalidArgumentError(`mount rootfs of ${containerId}: too many layers (${layers.length})`, {
        hint: 'squash the image to fewer layers',
      });
    }
    const mount = (extra: string): Promise<void> => run('mount', ['-t', 'overlay', 'overlay', '-o', options + extra, target], this.layersDir);
    const volatile = transient && this.volatile;
    await mount(volatile ? VOLATILE : '')
      .catch(async (error: unknown) => {
        if (!volatile) throw error;
        // A kernel before 5.10 knows no `volatile`: once a mount without it works, the later ones go without too.
        await mount('');
        this.volatile = false;
      })
      .catch((error: unknown) => {
        throw new InternalError(`mount rootfs of ${containerId} at ${target}: ${messageOf(error)}`, { cause: error });
      });
  }

  async removeRootfs(containerId: string, target: string): Promise<void> {
    const dir = this.containerDir(containerId);
    if (await isMountPoint(target)) {
      await run('umount', [target]).catch(async (error: unknown) => {
        // Busy (a process still has a file open): detach now, the kernel finishes when it is released.
        await run('umount', ['-l', target]).catch(() => {
          throw new InternalError(`remove rootfs of ${containerId}: unmount ${target}: ${messageOf(error)}`, { cause: error });
        });
      });
    }
    await rm(dir, { recursive: true, force: true });
  }

  async cleanup(): Promise<void> {
    const names = await readdir(this.layersDir).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => name.startsWith('.tmp-'))
      .map((name) => rm(join(this.layersDir, name), { recursive: true, force: true })));
  }

  upperDir(containerId: string): string {
    return join(this.containerDir(containerId), 'upper');
  }

  async writableSize(containerId: string): Promise<number> {
    const upper = this.upperDir(containerId);
    return (await exists(upper)) ? directorySize(upper) : 0;
  }

  private containerDir(containerId: string): string {
    if (!CONTAINER_ID.test(containerId)) throw new InvalidArgumentError(`invalid container id "${containerId}"`);
    return join(this.containersDir, containerId);
  }

  private async makeTmpName(): Promise<string> {
    await mkdir(this.layersDir, { recursive: true });
    return join(this.layersDir, `.tmp-${randomBytes(8).toString('hex')}`);
  }

  private async makeTmpDir(): Promise<string> {
    const dir = await this.makeTmpName();
    await mkdir(dir, { mode: 0o700 });
    return dir;
  }
}

/** Diff id of a layer that is already unpacked: the stream is still read, since the caller verifies it. */
async function digestOnly(tar: Readable, options: ApplyLayerOptions): Promise<AppliedLayer> {
  const tap = new DiffIdTap();
  const decompress = layerDecompressor(options.compression ?? 'none', 'a layer already unpacked');
  await pipeline(tar, decompress, tap, new Writable({ write: (_chunk, _encoding, callback) => callback() }), { signal: options.signal });
  return tap.result();
}

async function run(command: string, args: string[], cwd?: string): Promise<void> {
  try {
    await runProcess(hostTool(command), args, { cwd });
  } catch (error) {
    throw new Error((error instanceof ProcessFailedError && error.stderr.trim()) || (error as Error).message, { cause: error });
  }
}

/** Whether `path` is a mount point, from mountinfo (whose paths escape space, tab, newline and backslash). */
async function isMountPoint(path: string): Promise<boolean> {
  const wanted = resolve(path).replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').some((line) => line.split(' ')[4] === wanted);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
