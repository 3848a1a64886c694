// SPDX-License-Identifier: Apache-2.0
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/** One `GetAuthorizationToken` call the server answered. */
export interface EcrApiCall {
  accessKeyId: string;
  region: string;
  /** Whether the SigV4 signature matched the one computed here from the same request and secret. */
  verified: boolean;
}

export interface EcrApiServer {
  /** `http://127.0.0.1:PORT`: what `AWS_ENDPOINT_URL_ECR` points at. */
  url: string;
  calls: EcrApiCall[];
  close(): Promise<void>;
}

export interface EcrApiServerOptions {
  /** Access key ids and their secret keys. */
  credentials: Record<string, string>;
  /** The registry password the issued token carries (user `AWS`). */
  password: string;
  /** How long issued tokens live; ECR's are 12 hours. */
  lifetimeSeconds?: number;
}

/** node:crypto as the `sha256` constructor smithy's signer wants (its `Checksum` shape). */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret?: string | Uint8Array;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.make();
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.make();
  }
  private make(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

/**
 * A local Amazon ECR API endpoint answering `GetAuthorizationToken` (JSON 1.1 protocol) as AWS does, after
 * checking the request's SigV4 signature by signing the same request again with `@smithy/signature-v4` and the
 * caller's secret key. A bad signature gets AWS's 403 `InvalidSignatureException`.
 */
export async function startEcrApiServer(options: EcrApiServerOptions): Promise<EcrApiServer> {
  const calls: EcrApiCall[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const fail = (status: number, type: string, message: string) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }));
      if (req.headers['x-amz-target'] !== 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken') {
        return fail(400, 'UnknownOperationException', `unknown operation ${String(req.headers['x-amz-target'])}`);
      }
      const call = await verify(req, body, options.credentials);
      if (!call) return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      calls.push(call);
      if (!call.verified) return fail(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      const expiresAt = Date.now() / 1000 + (options.lifetimeSeconds ?? 12 * 3600);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({
        authorizationData: [{
          authorizationToken: Buffer.from(`AWS:${options.password}`).toString('base64'),
          expiresAt,
          proxyEndpoint: 'https://123456789012.dkr.ecr.us-west-2.amazonaws.com',
        }],
      }));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** The call as signed, or undefined when the access key is unknown. */
async function verify(req: IncomingMessage, body: Buffer, credentials: Record<string, string>): Promise<EcrApiCall | undefined> {
  const authorization = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/ecr\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(authorization);
  const secretAccessKey = match ? credentials[match[1]] : undefined;
  if (!match || secretAccessKey === undefined) return undefined;
  const [, accessKeyId, region, signedHeaders] = match;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
  const amzDate = headers['x-amz-date'] ?? '';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const url = new URL(req.url ?? '/', `http://${headers.host}`);
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service: 'ecr', sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body.toString('utf8'),
    },
    { signingDate },
  );
  return { accessKeyId, region, verified: signed.headers.authorization === authorization };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
