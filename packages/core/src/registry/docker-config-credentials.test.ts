// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DOCKER_HUB_CREDENTIALS_KEY, DockerConfigCredentials, credentialsKey } from './docker-config-credentials.js';

// A credential helper speaking Docker's protocol, keeping each server's JSON in a file of $HELPER_STORE.
const HELPER = `#!/bin/sh
set -e
key() { printf '%s' "$1" | md5sum | cut -c1-32; }
case "$1" in
  store)
    input=$(cat)
    url=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p')
    printf '%s' "$input" > "$HELPER_STORE/$(key "$url")" ;;
  get)
    url=$(cat)
    if [ -f "$HELPER_STORE/$(key "$url")" ]; then cat "$HELPER_STORE/$(key "$url")"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase)
    url=$(cat)
    rm -f "$HELPER_STORE/$(key "$url")" ;;
  *) echo "unknown action $1"; exit 1 ;;
esac
`;

describe('DockerConfigCredentials', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const store = () => join(dir, 'helper-store');
  const credentials = (name: string) => new DockerConfigCredentials({ configDir: join(dir, name), env });
  const configOf = async (name: string) => JSON.parse(await readFile(join(dir, name, 'config.json'), 'utf8')) as Record<string, unknown>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    await mkdir(join(dir, 'bin'));
    await mkdir(store());
    await writeFile(join(dir, 'bin', 'docker-credential-test'), HELPER);
    await chmod(join(dir, 'bin', 'docker-credential-test'), 0o755);
    await writeFile(join(dir, 'bin', 'docker-credential-broken'), '#!/bin/sh\necho "keychain is locked"\nexit 1\n');
    await chmod(join(dir, 'bin', 'docker-credential-broken'), 0o755);
    env = { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HELPER_STORE: store() };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('files Docker Hub under its legacy index URL and other registries under their host', () => {
    for (const hub of ['docker.io', 'index.docker.io', 'https://index.docker.io/v1/', 'registry-1.docker.io']) {
      assert.equal(credentialsKey(hub), DOCKER_HUB_CREDENTIALS_KEY);
    }
    assert.equal(credentialsKey('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000');
    assert.equal(credentialsKey('Registry.Example.com'), 'registry.example.com');
  });

  it('stores in auths with base64 auth, mode 0600, keeping other settings, and reads it back', async () => {
    await mkdir(join(dir, 'plain'));
    await writeFile(join(dir, 'plain', 'config.json'), JSON.stringify({ psFormat: 'table {{.ID}}', auths: { 'other.example': { auth: 'eDp5' } } }));
    const plain = credentials('plain');
    await plain.store('docker.io', { username: 'alice', password: 'p:ss' });
    await plain.store('127.0.0.1:5000', { username: 'bob', identityToken: 'refresh-token' });
    const file = await configOf('plain');
    assert.equal(file.psFormat, 'table {{.ID}}');
    assert.deepEqual(file.auths, {
      'other.example': { auth: 'eDp5' },
      [DOCKER_HUB_CREDENTIALS_KEY]: { auth: Buffer.from('alice:p:ss').toString('base64') },
      '127.0.0.1:5000': { auth: Buffer.from('bob:').toString('base64'), identitytoken: 'refresh-token' },
    });
    assert.equal((await stat(join(dir, 'plain', 'config.json'))).mode & 0o777, 0o600);

    assert.deepEqual(await plain.get('https://index.docker.io/v1/'), { username: 'alice', password: 'p:ss', serveraddress: DOCKER_HUB_CREDENTIALS_KEY });
    assert.deepEqual(await plain.get('http://127.0.0.1:5000'), { username: 'bob', identitytoken: 'refresh-token', serveraddress: '127.0.0.1:5000' });
    assert.deepEqual(await plain.get('other.example'), { username: 'x', password: 'y', serveraddress: 'other.example' });
    assert.equal(await plain.get('unknown.example'), undefined);

    assert.equal(await plain.erase('docker.io'), true);
    assert.equal(await plain.get('docker.io'), undefined);
    assert.equal(await plain.erase('docker.io'), false);
    assert.deepEqual((await readdir(join(dir, 'plain'))).sort(), ['config.json'], 'no temporary files left');
  });

  it('keeps secrets in the credsStore helper, and per-registry credHelpers take precedence', async () => {
    await mkdir(join(dir, 'helper'));
    await writeFile(join(dir, 'helper', 'config.json'), JSON.stringify({ credsStore: 'test', credHelpers: { 'locked.example': 'broken' } }));
    const helped = credentials('helper');
    await helped.store('docker.io', { username: 'alice', password: 'secret-password' });
    await helped.store('registry.example.com', { username: 'carol', identityToken: 'secret-token' });
    const text = await readFile(join(dir, 'helper', 'config.json'), 'utf8');
    assert.ok(!text.includes('secret'), 'no secret in config.json');
    assert.deepEqual((await configOf('helper')).auths, { [DOCKER_HUB_CREDENTIALS_KEY]: {}, 'registry.example.com': {} });
    assert.equal((await readdir(store())).length, 2, 'the helper holds both');

    assert.deepEqual(await helped.get('docker.io'), { username: 'alice', password: 'secret-password', serveraddress: DOCKER_HUB_CREDENTIALS_KEY });
    assert.deepEqual(await helped.get('registry.example.com'), { identitytoken: 'secret-token', serveraddress: 'registry.example.com' });
    assert.equal(await helped.get('nothing.example'), undefined, "the helper's not-found is no credentials");

    await assert.rejects(helped.get('locked.example'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'unavailable');
      assert.equal(error.message, 'credential helper docker-credential-broken get failed: keychain is locked');
      return true;
    });
    await assert.rejects(helped.store('locked.example', { username: 'dave', password: 'do-not-show' }), (error: Error) => !error.message.includes('do-not-show'));

    assert.equal(await helped.erase('docker.io'), true);
    assert.equal(await helped.get('docker.io'), undefined);
    assert.deepEqual((await configOf('helper')).auths, { 'registry.example.com': {} });
    assert.equal((await readdir(store())).length, 1);
  });

  it('names a missing helper and an unreadable config file', async () => {
    await mkdir(join(dir, 'missing'));
    await writeFile(join(dir, 'missing', 'config.json'), JSON.stringify({ credsStore: 'nonexistent' }));
    await assert.rejects(credentials('missing').get('docker.io'), (error: Error & { code?: string; hint?: string }) =>
      error.code === 'not-found' && /docker-credential-nonexistent not found/.test(error.message) && /credsStore/.test(error.hint ?? ''));
    await mkdir(join(dir, 'garbled'));
    await writeFile(join(dir, 'garbled', 'config.json'), '{"auths":');
    await assert.rejects(credentials('garbled').get('docker.io'), /not a valid Docker config file/);
    assert.equal(await credentials('absent').get('docker.io'), undefined);
  });
});
