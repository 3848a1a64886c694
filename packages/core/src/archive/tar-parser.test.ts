// SPDX-License-Identifier: Apache-2.0
// TarParser against tar-stream's extract on archives GNU tar makes in each of its formats, fed in odd-sized chunks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { extract, type Header } from 'tar-stream';
import { errorCodeOf } from '../errors/engine-error.js';
import { TarParser } from './tar-parser.js';

interface Parsed {
  header: Partial<Header>;
  data: string;
}

/** What an entry is, as both readers must agree on it. */
function essentials(header: Header): Partial<Header> {
  const { name, type, size, mode, uid, gid, mtime, devmajor, devminor } = header;
  return { name, type, size, mode, uid, gid, mtime, devmajor, devminor, linkname: header.linkname || '' };
}

async function withTarStream(archive: Buffer): Promise<Parsed[]> {
  const parsed: Parsed[] = [];
  const reader = extract();
  Readable.from([archive]).pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    // tar-stream applies a pax record's path, linkpath and size; TarParser its uid, gid and mtime too, as Go's
    // archive/tar (so Docker) does.
    const header = { ...entry.header };
    const pax = (header.pax ?? {}) as Record<string, string>;
    if (pax.uid !== undefined) header.uid = Number(pax.uid);
    if (pax.gid !== undefined) header.gid = Number(pax.gid);
    if (pax.mtime !== undefined) header.mtime = new Date(1000 * Number(pax.mtime));
    parsed.push({ header: essentials(header), data: Buffer.concat(chunks).toString('latin1') });
  }
  return parsed;
}

async function withTarParser(archive: Buffer, chunkSize: number): Promise<Parsed[]> {
  const parsed: Parsed[] = [];
  const parser = new TarParser((header) => {
    const entry: Parsed = { header: essentials(header), data: '' };
    parsed.push(entry);
    const chunks: Buffer[] = [];
    return { write: (chunk) => chunks.push(Buffer.from(chunk)), end: () => (entry.data = Buffer.concat(chunks).toString('latin1')), abandon: () => undefined };
  });
  for (let offset = 0; offset < archive.length; offset += chunkSize) await parser.write(archive.subarray(offset, offset + chunkSize));
  parser.end();
  return parsed;
}

describe('TarParser', () => {
  let dir: string;
  const tree = () => join(dir, 'tree');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tar-parser-test-'));
    const long = 'a-directory-name-long-enough-that-two-of-them-pass-the-hundred-bytes-of-a-ustar-name';
    await mkdir(join(tree(), long, long), { recursive: true });
    await writeFile(join(tree(), long, long, 'file-at-the-end-of-a-long-path'), 'deep\n');
    await writeFile(join(tree(), 'big'), Buffer.alloc(70_000, 'x'));
    await writeFile(join(tree(), 'empty'), '');
    await writeFile(join(tree(), 'ünïcödé name'), 'unicode\n');
    await symlink(`/${long}/${long}/target-of-a-long-symlink`, join(tree(), 'long-symlink'));
    await link(join(tree(), 'big'), join(tree(), 'hardlink-to-big'));
    execFileSync('mkfifo', [join(tree(), 'fifo')]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const format of ['gnu', 'posix', 'ustar']) {
    it(`reads what tar-stream reads in GNU tar's ${format} format`, async (t) => {
      const args = ['-C', tree(), '--sort=name', `--format=${format}`, '-cf', '-'];
      // A uid beyond 8 octal digits: base-256 in gnu, a pax record in posix; the others cannot hold it.
      if (format === 'gnu' || format === 'posix') args.push('--owner=3000000000', '--group=7');
      // ustar cannot hold the long names.
      const archive = execFileSync('tar', [...args, ...(format === 'ustar' ? ['big', 'empty', 'fifo', 'hardlink-to-big', 'ünïcödé name'] : ['.'])], {
        maxBuffer: 1 << 26,
      });
      const expected = await withTarStream(archive);
      assert.ok(expected.length >= 4, `${expected.length} entries`);
      if (format === 'gnu' || format === 'posix') {
        assert.ok(expected.some((e) => e.header.uid === 3000000000));
        assert.ok(expected.some((e) => e.header.type === 'fifo'));
        assert.ok(expected.some((e) => (e.header.linkname ?? '').length > 100));
      }
      for (const chunkSize of [1 << 20, 511, 7919]) {
        await t.test(`in chunks of ${chunkSize} bytes`, async () => assert.deepEqual(await withTarParser(archive, chunkSize), expected));
      }
    });
  }

  it('refuses a header whose checksum is wrong, a format it does not know, and an archive that ends inside an entry', async () => {
    const archive = execFileSync('tar', ['-C', tree(), '--format=posix', '-cf', '-', 'big']);
    const corrupt = Buffer.from(archive);
    corrupt[3] ^= 0x20;
    await assert.rejects(withTarParser(corrupt, 4096), (error: Error) => errorCodeOf(error) === 'invalid-argument' && /checksum/.test(error.message));
    await assert.rejects(withTarParser(execFileSync('tar', ['-C', tree(), '--format=v7', '-cf', '-', 'big']), 4096), /unknown format/);
    await assert.rejects(withTarParser(archive.subarray(0, 5000), 4096), /truncated/);
  });

  it('hands a body nothing more once the archive fails, and lets it go', async () => {
    const archive = execFileSync('tar', ['-C', tree(), '--format=gnu', '-cf', '-', 'big']);
    const events: string[] = [];
    const parser = new TarParser(() => ({ write: () => events.push('write'), end: () => events.push('end'), abandon: () => events.push('abandon') }));
    await parser.write(archive.subarray(0, 2048));
    assert.throws(() => parser.end(), /truncated/);
    assert.deepEqual(events, ['write', 'abandon']);
  });
});
