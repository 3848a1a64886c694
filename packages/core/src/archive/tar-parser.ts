// SPDX-License-Identifier: Apache-2.0
import type { Header } from 'tar-stream';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { TAR_BLOCK } from './tar-header.js';

/** Where an entry's data goes, as the archive's bytes arrive. */
export interface EntryBody {
  write(chunk: Buffer): void;
  /** The entry's data is complete. */
  end(): void;
  /** The archive failed before the data was complete: let go of what the body holds. */
  abandon(): void;
}

/**
 * Called once per entry, in order; what it returns receives the entry's data (none: the data is skipped). The next
 * entry waits until it settles.
 */
export type TarEntryHandler = (header: Header) => EntryBody | undefined | Promise<EntryBody | undefined>;

const TYPES: Record<string, Header['type']> = {
  '0': 'file', '\0': 'file', '1': 'link', '2': 'symlink', '3': 'character-device', '4': 'block-device', '5': 'directory',
  '6': 'fifo', '7': 'contiguous-file',
};
/** Records of tar's own that describe the next entry instead of being one, by typeflag. */
type MetaRecord = 'pax' | 'pax-global' | 'gnu-long-path' | 'gnu-long-link-path';
const META: Record<string, MetaRecord> = { x: 'pax', g: 'pax-global', L: 'gnu-long-path', K: 'gnu-long-link-path' };
/** Records of tar's own larger than this are refused rather than collected. */
const MAX_META = 1 << 20;

/**
 * A streaming tar reader for the layer unpacker's hot path: headers (ustar and GNU formats, GNU long names, pax
 * path/linkpath/size/uid/gid/mtime, base-256 numbers, checksums) decoded into tar-stream's {@link Header} shape, and each entry's data
 * handed over as slices of the chunks that arrive, synchronously. tar-stream's extract (used everywhere else) makes
 * every entry a stream of its own, which for a layer of ~15k mostly small files cost the unpack threads more CPU in
 * the stream machinery than in the files' syscalls; here an entry costs a header decode and one call.
 */
export class TarParser {
  private pending: Buffer | undefined;
  /** Bytes of the current entry's data still to come, then of its padding. */
  private remaining = 0;
  private padding = 0;
  private body: EntryBody | undefined;
  /** The pax or GNU record being collected, and what it is. */
  private meta: { type: MetaRecord; chunks: Buffer[] } | undefined;
  private next: { name?: string; linkname?: string; pax?: Record<string, string> } = {};

  constructor(private readonly onEntry: TarEntryHandler) {}

  /** Takes the next bytes of the archive; resolves once every entry they complete has been handled. */
  async write(chunk: Buffer): Promise<void> {
    let offset = 0;
    if (this.pending !== undefined) {
      // Only the header split across chunks is put together; the chunk itself is never copied.
      const needed = TAR_BLOCK - this.pending.length;
      if (chunk.length < needed) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return;
      }
      await this.header(Buffer.concat([this.pending, chunk.subarray(0, needed)]));
      this.pending = undefined;
      offset = needed;
    }
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const length = Math.min(this.remaining, chunk.length - offset);
        this.data(chunk.subarray(offset, offset + length));
        offset += length;
        this.remaining -= length;
        if (this.remaining === 0) this.endEntry();
      } else if (this.padding > 0) {
        const length = Math.min(this.padding, chunk.length - offset);
        offset += length;
        this.padding -= length;
      } else if (chunk.length - offset < TAR_BLOCK) {
        this.pending = Buffer.from(chunk.subarray(offset));
        return;
      } else {
        await this.header(chunk.subarray(offset, offset + TAR_BLOCK));
        offset += TAR_BLOCK;
      }
    }
  }

  /** Starts the entry or record whose header is `block`. */
  private async header(block: Buffer): Promise<void> {
    const decoded = this.decode(block);
    if (decoded === undefined) return;
    this.remaining = decoded.size;
    this.padding = (TAR_BLOCK - (this.remaining % TAR_BLOCK)) % TAR_BLOCK;
    if ('meta' in decoded) {
      if (this.remaining > MAX_META) throw new InvalidArgumentError(`tar: a ${decoded.meta} record of ${this.remaining} bytes is too large`);
      this.meta = { type: decoded.meta, chunks: [] };
    } else {
      const handled = this.onEntry(decoded);
      this.body = handled instanceof Promise ? await handled : handled;
    }
    if (this.remaining === 0) this.endEntry();
  }

  /** The archive has ended: fails when it ended inside an entry. */
  end(): void {
    if (this.remaining > 0 || this.meta !== undefined || (this.pending !== undefined && this.pending.some((b) => b !== 0))) {
      this.abandon();
      throw new InvalidArgumentError('tar: unexpected end of data: the archive is truncated');
    }
  }

  /** Lets go of the entry under way, when the archive fails. */
  abandon(): void {
    this.body?.abandon();
    this.body = undefined;
  }

  private data(slice: Buffer): void {
    if (this.meta !== undefined) this.meta.chunks.push(Buffer.from(slice));
    else this.body?.write(slice);
  }

  private endEntry(): void {
    if (this.meta !== undefined) {
      const { type, chunks } = this.meta;
      this.meta = undefined;
      const bytes = Buffer.concat(chunks);
      if (type === 'gnu-long-path') this.next.name = cString(bytes, 0, bytes.length);
      else if (type === 'gnu-long-link-path') this.next.linkname = cString(bytes, 0, bytes.length);
      // A global record's settings (rare in layers) are not applied, as tar-stream's extract does not.
      else if (type === 'pax') this.next.pax = decodePax(bytes);
      return;
    }
    const body = this.body;
    this.body = undefined;
    body?.end();
  }

  /**
   * The entry whose header is `block`, or the record of tar's own it starts, or undefined for a zero block (the end
   * of the archive, or padding after it).
   */
  private decode(block: Buffer): Header | { meta: MetaRecord; size: number } | undefined {
    if (block[0] === 0 && block.every((b) => b === 0)) return undefined;
    if (checksum(block) !== number(block, 148, 8)) {
      throw new InvalidArgumentError('tar: invalid header checksum: the archive is corrupt, or not a tar');
    }
    const typeflag = String.fromCharCode(block[156]);
    const size = number(block, 124, 12);
    if (typeflag in META) return { meta: META[typeflag], size };
    const magic = block.toString('latin1', 257, 265);
    const ustar = magic.startsWith('ustar\0');
    if (!ustar && magic !== 'ustar  \0') throw new InvalidArgumentError('tar: unknown format: neither ustar nor GNU');
    // The prefix field is ustar's; GNU keeps other things there.
    const prefix = ustar ? cString(block, 345, 155) : '';
    const header: Header = {
      name: prefix !== '' ? `${prefix}/${cString(block, 0, 100)}` : cString(block, 0, 100),
      mode: number(block, 100, 8),
      uid: number(block, 108, 8),
      gid: number(block, 116, 8),
      size,
      mtime: new Date(1000 * number(block, 136, 12)),
      // Other types (GNU sparse files, volume headers) keep their flag, as tar-stream gives them: nothing to create.
      type: TYPES[typeflag] ?? (typeflag as Header['type']),
      linkname: cString(block, 157, 100),
      uname: cString(block, 265, 32),
      gname: cString(block, 297, 32),
      devmajor: number(block, 329, 8),
      devminor: number(block, 337, 8),
    };
    const { name, linkname, pax } = this.next;
    this.next = {};
    if (name !== undefined) header.name = name;
    if (linkname !== undefined) header.linkname = linkname;
    if (pax !== undefined) {
      if (pax.path !== undefined) header.name = pax.path;
      if (pax.linkpath !== undefined) header.linkname = pax.linkpath;
      if (pax.size !== undefined) header.size = Number.parseInt(pax.size, 10);
      if (pax.uid !== undefined) header.uid = Number.parseInt(pax.uid, 10);
      if (pax.gid !== undefined) header.gid = Number.parseInt(pax.gid, 10);
      if (pax.mtime !== undefined) header.mtime = new Date(1000 * Number.parseFloat(pax.mtime));
      header.pax = pax;
    }
    return header;
  }
}

/** The text of a NUL-terminated field. */
function cString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end < 0 || end > offset + length ? offset + length : end);
}

/** A numeric field: octal text, or big-endian base-256 when its first byte has the high bit set (GNU, star). */
function number(block: Buffer, offset: number, length: number): number {
  if (block[offset] & 0x80) {
    const negative = block[offset] === 0xff;
    let value = 0;
    for (let i = 0; i < length; i++) {
      const byte = i === 0 ? block[offset] & 0x7f : block[offset + i];
      value = value * 256 + (negative ? 0xff - byte : byte);
    }
    return negative ? -(value + 1) : value;
  }
  const text = block.toString('latin1', offset, offset + length).replace(/^ +/, '').replace(/[\0 ].*$/, '');
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** The header checksum: its bytes summed, the checksum field counted as spaces. */
function checksum(block: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < TAR_BLOCK; i++) if (i < 148 || i >= 156) sum += block[i];
  return sum;
}

/** pax records: `<length> <key>=<value>\n`, the length counting the whole record. */
function decodePax(bytes: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset);
    const length = Number.parseInt(bytes.toString('latin1', offset, space), 10);
    if (space < 0 || !(length > 0) || offset + length > bytes.length) {
      throw new InvalidArgumentError('tar: a pax header record is malformed');
    }
    const record = bytes.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
