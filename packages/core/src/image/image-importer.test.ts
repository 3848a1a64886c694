// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import type { EngineConfig } from '../config/engine-config.js';
import { InvalidArgumentError, NotImplementedError } from '../errors/engine-error.js';
import { ImageImporter } from './image-importer.js';
import type { ImageRecord } from './image-record.js';
import type { ImageWriteOptions, ImageWriter } from './image-writer.js';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tarPack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('ImageImporter', () => {
  let root: string;
  /** What the writer was given: the layer's diff id and the bytes of its file, read while the file exists. */
  let written: { diffId: string; bytes: Buffer }[];
  let importer: ImageImporter;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'image-importer-'));
    const writer = {
      write: async (options: ImageWriteOptions) => {
        for (const { path, diffId } of options.layers) written.push({ diffId, bytes: await readFile(path) });
        return { id: 'sha256:x' } as ImageRecord;
      },
    } as ImageWriter;
    importer = new ImageImporter(writer, { dataRoot: root } as EngineConfig);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const importBytes = (bytes: Buffer) => {
    written = [];
    return importer.import({ source: '-', archive: Readable.from([bytes]) });
  };

  it('hands the writer the inflated tar and its diff id, of a plain and of a gzip archive, leaving no spool', async () => {
    const tar = await tarOf({ hello: 'hi\n', 'etc/x': 'y' });
    for (const archive of [tar, gzipSync(tar)]) {
      await importBytes(archive);
      assert.deepEqual(written, [{ diffId: sha256(tar), bytes: tar }]);
    }
    // The zero blocks alone: an archive of nothing, an empty layer.
    const empty = Buffer.alloc(1024);
    await importBytes(empty);
    assert.deepEqual(written, [{ diffId: sha256(empty), bytes: empty }]);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
  });

  it('refuses an empty archive, bzip2 and xz, a gzip that breaks off, and what is no tar, saying why', async () => {
    const tar = await tarOf({ big: randomBytes(200_000).toString('base64') });
    const refusals: [Buffer, new (...args: never[]) => Error, RegExp][] = [
      [Buffer.alloc(0), InvalidArgumentError, /^import: the archive is empty$/],
      [Buffer.from('BZh91AY&SY'), NotImplementedError, /bzip2 and xz archives are not supported/],
      [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]), NotImplementedError, /bzip2 and xz archives are not supported/],
      [gzipSync(tar).subarray(0, 2000), InvalidArgumentError, /^import: cannot decompress the gzip archive: unexpected end of file$/],
      [Buffer.from('abc'), InvalidArgumentError, /^import: the archive is not a tar file$/],
      [gzipSync('no tar here\n'.repeat(100)), InvalidArgumentError, /^import: the archive is not a tar file$/],
    ];
    for (const [archive, type, message] of refusals) {
      await assert.rejects(importBytes(archive), (error: Error) => error instanceof type && message.test(error.message), message.source);
      assert.deepEqual(written, []);
    }
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
  });

  it('answers a refused request at once, while the client is still sending the archive', async () => {
    const server = createServer((req, res) => {
      importer.import({ source: '-', archive: req }).then(
        () => res.end('imported'),
        (error: Error) => res.writeHead(400).end(error.message),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const broken = gzipSync(await tarOf({ big: randomBytes(200_000).toString('base64') })).subarray(0, 3000);
      // Not a deflate stream: the gzip fails on its first bytes, not at the end of the body.
      const filler = randomBytes(1 << 20);
      const MAX_BODY = 256 << 20;
      for (const head of [broken, Buffer.from('BZh9')]) {
        // The body goes on until the answer comes: it must come while the client is still sending.
        const answer = await new Promise<{ status?: number; text: string; sent: number }>((resolve, reject) => {
          let answered = false;
          let sent = 0;
          const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST', path: '/' }, (res) => {
            answered = true;
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              resolve({ status: res.statusCode, text, sent });
              // What is left unsent is of no use any more.
              req.destroy();
            });
          });
          req.on('error', reject);
          req.write(head);
          const more = (): void => {
            if (answered || sent >= MAX_BODY) return void req.end();
            sent += filler.length;
            req.write(filler, more);
          };
          more();
        });
        assert.equal(answer.status, 400);
        assert.ok(answer.sent < MAX_BODY, 'answered before the whole body was sent');
        assert.match(answer.text, /^import: (cannot decompress the gzip archive|bzip2 and xz archives are not supported)/);
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
