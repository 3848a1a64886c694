// SPDX-License-Identifier: Apache-2.0
import { pack, type Header } from 'tar-stream';

/** One entry of a test layer: a tar header (defaults: a 0644 root-owned file) and, for files, its content. */
export interface LayerTarEntry extends Partial<Header> {
  name: string;
  content?: string | Buffer;
}

/** The bytes of an uncompressed layer tar made of `entries`, in order, for tests that feed tars to the engine. */
export async function layerTar(entries: LayerTarEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const { content, ...header } of entries) {
    await new Promise<void>((resolve, reject) => {
      const defaults = { mode: header.type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, mtime: new Date(1_600_000_000_000) };
      tar.entry({ ...defaults, ...header }, content ?? '', (error) => (error ? reject(error) : resolve()));
    });
  }
  tar.finalize();
  await collected;
  return Buffer.concat(chunks);
}
