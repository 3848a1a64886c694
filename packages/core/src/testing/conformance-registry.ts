// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Digest } from '../content/digest.js';
import type { Descriptor } from '../registry/descriptor.js';
import { layerTar } from './layer-tar.js';

/**
 * A registry the registry conformance suite pulls from, with this layout (any OCI distribution registry holding
 * it will do):
 *
 * - `conformance/hello:latest` — a one-layer image, readable anonymously;
 * - `private/hello:latest` — the same image, readable only with {@link credentials} (HTTP Basic);
 * - `corrupt/hello:latest` — the same manifest, but the registry serves the layer and manifest-by-digest with bytes
 *   that do not match their digests;
 * - nothing else: other repositories, tags and digests are unknown.
 */
export interface ConformanceRegistry {
  /** `127.0.0.1:PORT`: the domain of the suite's references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  credentials: { username: string; password: string };
  /** The image every repository holds, as the suite expects to read it back. */
  image: ConformanceImage;
  close(): Promise<void>;
}

export interface ConformanceImage {
  manifest: Buffer;
  manifestDigest: string;
  config: Descriptor;
  layer: Descriptor;
  blobs: Map<string, Buffer>;
}

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

async function conformanceImage(): Promise<ConformanceImage> {
  const layerBytes = await layerTar([{ name: 'hello.txt', content: 'hello from the conformance registry\n' }]);
  const configBytes = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['cat', '/hello.txt'] },
    rootfs: { type: 'layers', diff_ids: [sha256Digest(layerBytes)] },
  }));
  const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(configBytes), size: configBytes.length };
  const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256Digest(layerBytes), size: layerBytes.length };
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, config, layers: [layer] }));
  return {
    manifest,
    manifestDigest: sha256Digest(manifest),
    config,
    layer,
    blobs: new Map([[config.digest, configBytes], [layer.digest, layerBytes]]),
  };
}

/**
 * Serves the {@link ConformanceRegistry} layout from memory on a free loopback port: just enough of the
 * distribution API (`/v2/`, manifests and blobs, GET and HEAD, Basic auth) for pulls and logins.
 */
export async function startConformanceRegistry(): Promise<ConformanceRegistry> {
  const image = await conformanceImage();
  const credentials = { username: 'conformance', password: 'secret-password' };
  const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const send = (status: number, headers: Record<string, string | number>, body: Buffer = Buffer.alloc(0)): void => {
      res.writeHead(status, { 'Content-Length': body.length, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const error = (status: number, code: string, headers: Record<string, string> = {}): void =>
      send(status, { 'Content-Type': 'application/json', ...headers }, Buffer.from(JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] })));

    if (url.pathname === '/v2/' || url.pathname === '/v2') return send(200, { 'Docker-Distribution-Api-Version': 'registry/2.0' });
    const match = /^\/v2\/(conformance|private|corrupt)\/hello\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!match) return error(404, url.pathname.includes('/blobs/') ? 'BLOB_UNKNOWN' : 'NAME_UNKNOWN');
    const [, namespace, kind, reference] = match as unknown as [string, string, string, string];
    if (namespace === 'private' && req.headers.authorization !== basic) {
      return error(401, 'UNAUTHORIZED', { 'WWW-Authenticate': 'Basic realm="conformance"' });
    }
    const corrupt = namespace === 'corrupt';
    if (kind === 'manifests') {
      if (reference !== 'latest' && reference !== image.manifestDigest) return error(404, 'MANIFEST_UNKNOWN');
      // By digest a tampering registry cannot pass a header check, only the client's own hash of the bytes.
      const body = corrupt && reference !== 'latest' ? Buffer.concat([image.manifest, Buffer.from(' ')]) : image.manifest;
      return send(200, { 'Content-Type': MANIFEST_TYPE, 'Docker-Content-Digest': image.manifestDigest }, body);
    }
    const blob = image.blobs.get(reference);
    if (!blob) return error(404, 'BLOB_UNKNOWN');
    const body = corrupt && reference === image.layer.digest ? Buffer.from(blob.map((byte) => byte ^ 0xff)) : blob;
    return send(200, { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': reference }, body);
  };

  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    credentials,
    image,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
