// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** The TLS material of one registry host, from its certs.d directory. */
export interface RegistryTlsFiles {
  /** PEM CA certificates trusted besides the system's: every `*.crt`. */
  cas: string[];
  /** Client certificates for mutual TLS: each `<name>.cert` with its `<name>.key`, as PEM, in name order. */
  clientCertificates: { cert: string; key: string }[];
}

/**
 * Reads a certs.d host directory (`<certsDir>/<host:port>/`) by Docker's rules (moby `registry.ReadCertsDirectory`):
 * `*.crt` are CA roots; `<name>.cert` and `<name>.key` are a client certificate and its key, and one without the
 * other is an error naming the missing file, since a CA saved as `.cert` would otherwise be silently ignored. A
 * directory that does not exist holds nothing.
 */
export async function readCertsDirectory(dir: string): Promise<RegistryTlsFiles> {
  const names = (
    await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[];
      throw error;
    })
  ).sort();
  const present = new Set(names);
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const clientCertificates: RegistryTlsFiles['clientCertificates'] = [];
  for (const name of names) {
    if (name.endsWith('.cert')) {
      const keyName = `${name.slice(0, -'.cert'.length)}.key`;
      if (!present.has(keyName)) {
        throw new InvalidArgumentError(`${dir}: missing key ${keyName} for client certificate ${name}; CA certificates must use the extension .crt`);
      }
      clientCertificates.push(checkedPair(dir, name, keyName, await read(name), await read(keyName)));
    } else if (name.endsWith('.key') && !present.has(`${name.slice(0, -'.key'.length)}.cert`)) {
      throw new InvalidArgumentError(`${dir}: missing client certificate ${name.slice(0, -'.key'.length)}.cert for key ${name}`);
    }
  }
  const cas = await Promise.all(names.filter((name) => name.endsWith('.crt')).map(read));
  return { cas, clientCertificates };
}

/** The pair, once OpenSSL accepts it: a key that does not match fails here, naming the files, not at the handshake. */
function checkedPair(dir: string, certName: string, keyName: string, cert: string, key: string): { cert: string; key: string } {
  try {
    createSecureContext({ cert, key });
  } catch (cause) {
    throw new InvalidArgumentError(`${dir}: client certificate ${certName} with key ${keyName}: ${(cause as Error).message}`, { cause });
  }
  return { cert, key };
}
