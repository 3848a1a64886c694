// SPDX-License-Identifier: Apache-2.0
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/** The APIs served, by their SigV4 service name, and the `X-Amz-Target` of their `GetAuthorizationToken`. */
const TARGETS = {
  ecr: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  'ecr-public': 'SpencerFrontendService.GetAuthorizationToken',
} as const;
type EcrService = keyof typeof TARGETS;

/** One `GetAuthorizationToken` call the server answered. */
export interface EcrApiCall {
  /** The API called: `ecr`, or `ecr-public` for ECR Public. */
  service: EcrService;
  accessKeyId: string;
  region: string;
  /** Whether the SigV4 signature matched the one computed here from the same request and secret. */
  verified: boolean;
}

export interface EcrApiServer {
  /** `http://127.0.0.1:PORT`: what `AWS_ENDPOINT_URL_ECR` and `AWS_ENDPOINT_URL_ECR_PUBLIC` point at. */
  url: string;
  calls: EcrApiCall[];
  close(): Promise<void>;
}

export interface EcrApiServerOptions {
  /** Access key ids and their secret keys. */
  credentials: Record<string, string>;
  /** The registry password the issued token carries (user `AWS`). */
  password: string;
  /** The one ECR Public's tokens carry; `password` when not given. */
  publicPassword?: string;
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
 * A local Amazon ECR and ECR Public API endpoint answering `GetAuthorizationToken` (JSON 1.1 protocol) as AWS does,
 * after checking the request's SigV4 signature, for the service the operation belongs to, by signing the same
 * request again with `@smithy/signature-v4` and the caller's secret key. A bad signature gets AWS's 403
 * `InvalidSignatureException`.
 */
export async function startEcrApiServer(options: EcrApiServerOptions): Promise<EcrApiServer> {
  const calls: EcrApiCall[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const fail = (status: number, type: string, message: string) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }));
      const service = (Object.keys(TARGETS) as EcrService[]).find((name) => TARGETS[name] === req.headers['x-amz-target']);
      if (!service) return fail(400, 'UnknownOperationException', `unknown operation ${String(req.headers['x-amz-target'])}`);
      const call = await verify(req, body, service, options.credentials);
      if (!call) return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      calls.push(call);
      if (!call.verified) return fail(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      const expiresAt = Date.now() / 1000 + (options.lifetimeSeconds ?? 12 * 3600);
      const password = service === 'ecr-public' ? (options.publicPassword ?? options.password) : options.password;
      const authorizationToken = Buffer.from(`AWS:${password}`).toString('base64');
      // ECR answers a list of authorizations, one per registry; ECR Public one authorization for all.
      const authorizationData = service === 'ecr-public'
        ? { authorizationToken, expiresAt }
        : [{ authorizationToken, expiresAt, proxyEndpoint: 'https://123456789012.dkr.ecr.us-west-2.amazonaws.com' }];
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ authorizationData }));
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

/**
 * The call as signed, or undefined when the access key is unknown. A signature is good only when made for the
 * operation's own service: `ecr-public` for ECR Public's.
 */
async function verify(req: IncomingMessage, body: Buffer, service: EcrService, credentials: Record<string, string>): Promise<EcrApiCall | undefined> {
  const authorization = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(authorization);
  const secretAccessKey = match ? credentials[match[1]] : undefined;
  if (!match || secretAccessKey === undefined) return undefined;
  const [, accessKeyId, region, signedService, signedHeaders] = match;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
  const amzDate = headers['x-amz-date'] ?? '';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const url = new URL(req.url ?? '/', `http://${headers.host}`);
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: NodeSha256 });
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
  return { service, accessKeyId, region, verified: signedService === service && signed.headers.authorization === authorization };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
