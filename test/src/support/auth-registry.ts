// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, registryConfig } from './fixture-registry.js';
import { stopProcess } from './run-process.js';
import { ensurePackages } from './system-packages.js';

const run = promisify(execFile);

/** How a test registry authenticates and whether it speaks TLS. */
export interface AuthRegistryOptions {
  /** The registry config's `auth:` section (from a token issuer), or htpasswd users, or none. */
  auth?: { section: string } | { htpasswd: Record<string, string> };
  /** Serve HTTPS with this certificate and key (PEM paths); with `clientCas`, only to clients whose certificate they signed. */
  tls?: { certificate: string; key: string; clientCas?: string[] };
}

/** A real docker-registry on a free loopback port, with empty storage. */
export interface AuthRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function startAuthRegistry(options: AuthRegistryOptions = {}): Promise<AuthRegistry> {
  await ensurePackages('docker-registry', ...(options.auth && 'htpasswd' in options.auth ? ['apache2-utils'] : []));
  const dir = await mkdtemp(join(tmpdir(), 'tsc-engine-auth-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [registryConfig(join(dir, 'storage'), host).trimEnd()];
  if (options.tls) lines.push('  tls:', `    certificate: ${options.tls.certificate}`, `    key: ${options.tls.key}`);
  if (options.tls?.clientCas) lines.push('    clientcas:', ...options.tls.clientCas.map((ca) => `      - ${ca}`));
  if (options.auth && 'section' in options.auth) lines.push(options.auth.section);
  if (options.auth && 'htpasswd' in options.auth) {
    const entries = await Promise.all(
      Object.entries(options.auth.htpasswd).map(async ([user, password]) => (await run('htpasswd', ['-Bbn', user, password])).stdout.trim()),
    );
    await writeFile(join(dir, 'htpasswd'), `${entries.join('\n')}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: test-registry', `    path: ${join(dir, 'htpasswd')}`);
  }
  await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await answers(host, options.tls !== undefined))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start on ${host}: ${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { host, port, stop };
}

/** A private CA and a server certificate it signed for `names` (DNS names), in `dir`. */
export async function makeTlsCertificates(dir: string, names: string[]): Promise<{ ca: string; certificate: string; key: string }> {
  const path = (name: string) => join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=tsc-engine test CA',
    '-keyout', path('ca.key'), '-out', path('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', path('server.key'), '-out', path('server.csr')]);
  await writeFile(path('server.ext'), `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}\n`);
  await run('openssl', ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', path('server.ext'), '-out', path('server.crt')]);
  return { ca: path('ca.crt'), certificate: path('server.crt'), key: path('server.key') };
}

/** A client certificate for `commonName` and its key, signed by a new CA, in `dir` as `<name>.cert`/`.key` and `<name>-ca.crt`. */
export async function makeClientCertificate(dir: string, name: string, commonName: string): Promise<{ ca: string; certificate: string; key: string }> {
  const path = (suffix: string) => join(dir, `${name}${suffix}`);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name} client CA`,
    '-keyout', path('-ca.key'), '-out', path('-ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', path('.key'), '-out', path('.csr')]);
  await writeFile(path('.ext'), 'extendedKeyUsage=clientAuth\n');
  await run('openssl', ['x509', '-req', '-in', path('.csr'), '-CA', path('-ca.crt'), '-CAkey', path('-ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', path('.ext'), '-out', path('.cert')]);
  return { ca: path('-ca.crt'), certificate: path('.cert'), key: path('.key') };
}

/** Whether anything answers `/v2/` (any status: an auth registry answers 401). */
async function answers(host: string, tls: boolean): Promise<boolean> {
  if (!tls) return fetch(`http://${host}/v2/`).then(() => true, () => false);
  return new Promise((resolve) => {
    const request = get(`https://${host}/v2/`, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(true);
    });
    // A registry requiring client certificates answers this certificate-less probe with a TLS alert: it is up.
    request.on('error', (error: NodeJS.ErrnoException) => resolve(/^ERR_SSL_.*ALERT/.test(error.code ?? '')));
  });
}
