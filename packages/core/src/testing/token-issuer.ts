// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TokenIssuerOptions {
  /** The `service` the registry names in its challenge and checks as the token's audience. */
  service?: string;
  issuer?: string;
  /** Accounts and their passwords; a user is granted every action asked for. */
  users: Record<string, string>;
  /** What anonymous clients are granted on any repository (Docker Hub: `['pull']` on public ones); none when empty. */
  anonymousActions?: string[];
}

/** One token request the issuer answered. */
export interface TokenRequest {
  url: URL;
  /** The account that authenticated, if any. */
  user?: string;
  /** The scopes granted, `repository:x/y:pull`. */
  granted: string[];
}

/**
 * A bearer token server as Docker Hub's `auth.docker.io` (distribution `token.md`), for a real `docker-registry`
 * configured with `auth: token`: `GET /token?service=&scope=` with optional Basic credentials answers a JWT
 * signed with a key whose certificate the registry trusts through `rootcertbundle`. Wrong credentials get 401.
 */
export interface TokenIssuer {
  /** `http://127.0.0.1:PORT/token`: the registry's `realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate to give the registry as `rootcertbundle`. */
  certificatePath: string;
  requests: TokenRequest[];
  /** The registry config section (`auth:` and below) that trusts this issuer. */
  registryAuthConfig(): string;
  close(): Promise<void>;
}

const TOKEN_SECONDS = 300;

export async function startTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const service = options.service ?? 'test-registry';
  const issuer = options.issuer ?? 'test-issuer';
  const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-token-issuer-'));
  const certificatePath = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=token',
    '-keyout', join(dir, 'key.pem'), '-out', certificatePath]);
  const key = createPrivateKey(await readFile(join(dir, 'key.pem')));
  const kid = libtrustKeyId(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  const requests: TokenRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const authorization = req.headers.authorization;
    let user: string | undefined;
    if (authorization) {
      const decoded = Buffer.from(authorization.replace(/^Basic /i, ''), 'base64').toString();
      const colon = decoded.indexOf(':');
      user = decoded.slice(0, colon);
      if (colon < 0 || options.users[user] !== decoded.slice(colon + 1)) {
        requests.push({ url, user, granted: [] });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
    }
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions = ''] = scope.split(':');
      const wanted = actions.split(',').filter(Boolean);
      return { type, name, actions: user ? wanted : wanted.filter((action) => options.anonymousActions?.includes(action)) };
    }).filter((entry) => entry.actions.length > 0);
    requests.push({ url, user, granted: access.map((entry) => `${entry.type}:${entry.name}:${entry.actions.join(',')}`) });
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({ alg: 'RS256', typ: 'JWT', kid }, {
      iss: issuer, sub: user ?? '', aud: service, exp: now + TOKEN_SECONDS, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access,
    }, key);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: TOKEN_SECONDS }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    service,
    issuer,
    certificatePath,
    requests,
    registryAuthConfig: () =>
      ['auth:', '  token:', `    realm: ${realm}`, `    service: ${service}`, `    issuer: ${issuer}`, `    rootcertbundle: ${certificatePath}`].join('\n'),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function jwt(header: object, claims: object, key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** docker/libtrust's key id, by which the registry finds the key a token names in `kid`. */
function libtrustKeyId(spki: Buffer): string {
  const bytes = createHash('sha256').update(spki).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let encoded = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) encoded += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return encoded.match(/.{4}/g)!.join(':');
}
