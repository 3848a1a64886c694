// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadProject, type LoadProjectOptions } from './load-project.js';

const roots: string[] = [];
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** Writes `files` into a fresh directory and loads the project there with an environment of only `env`. */
async function load(files: Record<string, string>, options: LoadProjectOptions = {}, env: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'compose-load-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  const loaded = await loadProject({ cwd: root, environment: { HOME: root, ...env }, ...options });
  return { root, ...loaded };
}

async function loadError(files: Record<string, string>, options: LoadProjectOptions = {}, env: Record<string, string> = {}) {
  try {
    await load(files, options, env);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the project loaded without error');
}

describe('multi-file merge (-f a -f b)', () => {
  test('follows the compose-spec merge rules', async () => {
    const { project } = await load({
      'compose.yaml': `
services:
  web:
    image: web:1
    command: serve --port 80
    environment: [A=1, B=2]
    labels: { team: a }
    ports: ["8080:80", "8443:443"]
    volumes: ["./a:/data", "cache:/cache"]
    cap_add: [NET_ADMIN]
volumes:
  cache: {}
`,
      'override.yaml': `
services:
  web:
    image: web:2
    command: [serve, --port, "81"]
    environment: { B: "3", C: "4" }
    labels: [extra=yes]
    ports: ["8080:80", "9000:90"]
    volumes: ["./b:/data"]
    cap_add: [NET_ADMIN, SYS_TIME]
`,
    }, { files: ['compose.yaml', 'override.yaml'] });
    const web = project.services.web;
    assert.equal(web.image, 'web:2');
    assert.deepEqual(web.command, ['serve', '--port', '81']);
    assert.deepEqual(web.environment, { A: '1', B: '3', C: '4' });
    assert.deepEqual(web.labels, { team: 'a', extra: 'yes' });
    assert.deepEqual(web.ports?.map((p) => `${p.published}:${p.target}`), ['8443:443', '8080:80', '9000:90']);
    assert.deepEqual(web.volumes?.map((v) => [v.target, basename(v.source ?? '')]), [['/cache', 'cache'], ['/data', 'b']]);
    assert.deepEqual(web.cap_add, ['NET_ADMIN', 'SYS_TIME']);
  });

  test('!reset removes what an earlier file set and !override replaces it without merging', async () => {
    const { project } = await load({
      'compose.yaml': 'services:\n  web:\n    image: web\n    ports: ["80:80", "443:443"]\n    environment: { A: "1" }\n    healthcheck: { test: ["CMD", "true"], interval: 5s }\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: !override ["8080:80"]\n    environment: !reset {}\n    healthcheck: !reset\n',
    });
    const web = project.services.web;
    assert.deepEqual(web.ports?.map((p) => p.published), ['8080']);
    assert.equal(web.environment, undefined);
    assert.equal(web.healthcheck, undefined);
  });
});

describe('extends', () => {
  test('from the same file and from another file, whose relative paths stay relative to it', async () => {
    const { root, project } = await load({
      'compose.yaml': `
services:
  base:
    image: base
    environment: { LEVEL: base, KEEP: "yes" }
  child:
    extends: base
    environment: { LEVEL: child }
  remote:
    extends: { file: sub/common.yaml, service: common }
    ports: ["81:80"]
`,
      'sub/common.yaml': 'services:\n  common:\n    build: .\n    env_file: ./common.env\n    volumes: ["./data:/data"]\n    ports: ["80:80"]\n',
      'sub/common.env': 'FROM_FILE=1\n',
    });
    assert.deepEqual(project.services.child.environment, { LEVEL: 'child', KEEP: 'yes' });
    assert.equal(project.services.child.image, 'base');
    const remote = project.services.remote;
    assert.equal(remote.build?.context, join(root, 'sub'));
    assert.deepEqual(remote.environment, { FROM_FILE: '1' });
    assert.equal(remote.volumes?.[0].source, join(root, 'sub', 'data'));
    assert.deepEqual(remote.ports?.map((p) => p.published), ['80', '81']);
  });

  test('a cycle is an error naming the key', async () => {
    const message = await loadError({ 'compose.yaml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n' });
    assert.match(message, /^compose\.yaml:\d+:\d+: services\.\w\.extends: extends cycle/);
  });
});

describe('include', () => {
  test('loads the included project with its own directory and .env', async () => {
    const { root, project } = await load({
      'compose.yaml': 'include:\n  - lib/db.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n',
      'lib/db.yaml': 'services:\n  db:\n    image: "db:${DB_TAG}"\n    volumes: ["./init:/init"]\n',
      'lib/.env': 'DB_TAG=15\n',
    });
    assert.equal(project.services.db.image, 'db:15');
    assert.equal(project.services.db.volumes?.[0].source, join(root, 'lib', 'init'));
    assert.deepEqual(project.services.web.depends_on, { db: { condition: 'service_started', required: true } });
  });

  test('a resource defined on both sides and an include cycle are errors', async () => {
    assert.match(await loadError({
      'compose.yaml': 'include: [other.yaml]\nservices:\n  db:\n    image: mine\n',
      'other.yaml': 'services:\n  db:\n    image: theirs\n',
    }), /^compose\.yaml:3:3: services\.db: conflicts with the service of the same name imported from/);
    assert.match(await loadError({
      'compose.yaml': 'include: [other.yaml]\nservices:\n  a:\n    image: a\n',
      'other.yaml': 'include: [compose.yaml]\nservices:\n  b:\n    image: b\n',
    }), /include cycle/);
  });
});

describe('profiles', () => {
  const files = {
    'compose.yaml': 'services:\n  web:\n    image: web\n  debug:\n    image: debug\n    profiles: [debug]\n  all:\n    image: all\n    profiles: [x, y]\n',
  };

  test('services with a profile run only when one is active (--profile, COMPOSE_PROFILES, *)', async () => {
    assert.deepEqual(Object.keys((await load(files)).project.services), ['web']);
    assert.deepEqual(Object.keys((await load(files, { profiles: ['debug'] })).project.services), ['web', 'debug']);
    assert.deepEqual(Object.keys((await load(files, {}, { COMPOSE_PROFILES: 'y,debug' })).project.services), ['web', 'debug', 'all']);
    assert.deepEqual(Object.keys((await load(files, { profiles: ['*'] })).project.services).sort(), ['all', 'debug', 'web']);
  });

  test('depending on a disabled service is an error that names the profile', async () => {
    const message = await loadError({
      'compose.yaml': 'services:\n  web:\n    image: web\n    depends_on: [db]\n  db:\n    image: db\n    profiles: [data]\n',
    });
    assert.match(message, /^compose\.yaml:4:5: services\.web\.depends_on\.db: service "web" depends on service "db", which no active profile enables/);
  });
});

describe('environment and project settings', () => {
  test('.env feeds interpolation, the host environment wins, env_file and bare names resolve', async () => {
    const { project } = await load({
      'compose.yaml': 'services:\n  web:\n    image: "web:${TAG}"\n    env_file: [app.env]\n    environment: [FROM_HOST, FROM_DOTENV, UNSET, "LITERAL=$${TAG}"]\n',
      '.env': 'TAG=dotenv\nFROM_DOTENV=d\n',
      'app.env': 'APP=1\nFROM_HOST=overridden-by-environment\n',
    }, {}, { FROM_HOST: 'h' });
    assert.equal(project.services.web.image, 'web:dotenv');
    assert.deepEqual(project.services.web.environment, { APP: '1', FROM_HOST: 'h', FROM_DOTENV: 'd', UNSET: null, LITERAL: '${TAG}' });
    const viaHost = await load({ 'compose.yaml': 'services:\n  web:\n    image: "web:${TAG}"\n', '.env': 'TAG=dotenv\n' }, {}, { TAG: 'host' });
    assert.equal(viaHost.project.services.web.image, 'web:host');
    const viaEnvFile = await load({ 'compose.yaml': 'services:\n  web:\n    image: "web:${TAG}"\n', 'alt.env': 'TAG=alt\n' }, { envFiles: ['alt.env'] });
    assert.equal(viaEnvFile.project.services.web.image, 'web:alt');
  });

  test('project name: -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', async () => {
    const files = { 'compose.yaml': 'name: from-file\nservices:\n  web:\n    image: web\n' };
    assert.equal((await load(files, { projectName: 'flag' }, { COMPOSE_PROJECT_NAME: 'env' })).project.name, 'flag');
    assert.equal((await load(files, {}, { COMPOSE_PROJECT_NAME: 'env' })).project.name, 'env');
    assert.equal((await load(files)).project.name, 'from-file');
    const { root, project } = await load({ 'My App/compose.yaml': 'services:\n  web:\n    image: web\n' }, { files: ['My App/compose.yaml'] });
    assert.equal(project.name, 'myapp');
    assert.equal(project.networks.default.name, 'myapp_default');
    assert.equal(project.workingDir, join(root, 'My App'));
    assert.match(await loadError(files, { projectName: 'Bad Name' }), /invalid project name "Bad Name" \(from -p\)/);
  });

  test('COMPOSE_FILE, default file names and the override file; --project-directory', async () => {
    const two = { 'a.yaml': 'services:\n  a:\n    image: a\n', 'b.yaml': 'services:\n  b:\n    image: b\n' };
    assert.deepEqual(Object.keys((await load(two, {}, { COMPOSE_FILE: 'a.yaml:b.yaml' })).project.services), ['a', 'b']);
    const defaults = await load({
      'docker-compose.yml': 'services:\n  web:\n    image: web\n',
      'docker-compose.override.yml': 'services:\n  web:\n    image: overridden\n',
    });
    assert.equal(defaults.project.services.web.image, 'overridden');
    const elsewhere = await load({ 'app/compose.yaml': 'services:\n  web:\n    image: web\n    volumes: ["./x:/x"]\n' },
      { files: ['app/compose.yaml'], projectDirectory: '.' });
    assert.equal(elsewhere.project.services.web.volumes?.[0].source, join(elsewhere.root, 'x'));
  });
});

describe('normalisation', () => {
  test('short syntaxes become docker compose long forms', async () => {
    const { project } = await load({
      'compose.yaml': `
services:
  web:
    image: web
    command: sh -c 'echo "hi there"'
    depends_on:
      db: { condition: service_healthy }
    healthcheck: { test: curl -f localhost, interval: 90s, timeout: 1500ms, retries: "3" }
    stop_grace_period: 1m
    networks: [front]
    extra_hosts: ["host.one:10.0.0.1"]
    tmpfs: /run
    volumes: [data:/data]
  db:
    image: db
    healthcheck: { test: ["CMD", "true"] }
networks:
  front:
volumes:
  data:
    external: true
`,
    });
    const web = project.services.web;
    assert.deepEqual(web.command, ['sh', '-c', 'echo "hi there"']);
    assert.deepEqual(web.depends_on, { db: { condition: 'service_healthy', required: true } });
    assert.deepEqual(web.healthcheck, { test: ['CMD-SHELL', 'curl -f localhost'], interval: '1m30s', timeout: '1.5s', retries: 3 });
    assert.equal(web.stop_grace_period, '1m0s');
    assert.deepEqual(web.networks, { front: null });
    assert.deepEqual(project.services.db.networks, { default: null });
    assert.deepEqual(web.extra_hosts, ['host.one=10.0.0.1']);
    assert.deepEqual(web.tmpfs, ['/run']);
    assert.equal(project.networks.front.name, `${project.name}_front`);
    assert.equal(project.volumes.data.name, 'data');
  });
});

describe('errors name the file, line and key', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['an unknown key', { 'compose.yaml': 'services:\n  web:\n    image: web\n    imagee: typo\n' },
      /^compose\.yaml:4:5: services\.web\.imagee: additional property is not allowed$/],
    ['a wrong type', { 'compose.yaml': 'services:\n  web:\n    image: web\n    ports: 80\n' }, /^compose\.yaml:4:5: services\.web\.ports: must be a array$/],
    ['a value that cannot be cast', { 'compose.yaml': 'services:\n  web:\n    image: web\n    deploy:\n      replicas: ${N}\n' },
      /^compose\.yaml:5:7: services\.web\.deploy\.replicas: "" is not a valid integer$/],
    ['a required variable', { 'compose.yaml': 'services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n' },
      /^compose\.yaml:3:5: services\.web\.image: required variable IMAGE is missing a value: set IMAGE$/],
    ['a bad port', { 'compose.yaml': 'services:\n  web:\n    image: web\n    ports: ["80:http"]\n' }, /^compose\.yaml:4:5: services\.web\.ports: invalid port/],
    ['an undefined network', { 'compose.yaml': 'services:\n  web:\n    image: web\n    networks: [back]\n' },
      /^compose\.yaml:4:5: services\.web\.networks\.back: service "web" refers to undefined network "back"$/],
    ['an undefined volume', { 'compose.yaml': 'services:\n  web:\n    image: web\n    volumes: [data:/data]\n' },
      /^compose\.yaml:4:5: services\.web\.volumes\[0\]: service "web" refers to undefined volume "data"$/],
    ['an undefined service', { 'compose.yaml': 'services:\n  web:\n    image: web\n    depends_on: [db]\n' },
      /^compose\.yaml:4:5: services\.web\.depends_on\.db: service "web" depends on undefined service "db"$/],
    ['a dependency cycle', { 'compose.yaml': 'services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n    depends_on: [a]\n' },
      /^compose\.yaml:4:5: services\.a\.depends_on: dependency cycle detected: a -> b -> a$/],
    ['a restart policy with a retry count that is not a number', { 'compose.yaml': 'services:\n  web:\n    image: web\n    restart: on-failure:x\n' },
      /^compose\.yaml:4:5: services\.web\.restart: invalid restart policy format: 'on-failure:x'$/],
    ['no image', { 'compose.yaml': 'services:\n  web:\n    ports: ["80:80"]\n' }, /^compose\.yaml:2:3: services\.web: service "web" has neither an image nor a build/],
    ['invalid YAML', { 'compose.yaml': 'services:\n  web:\n    image: [unclosed\n' }, /^compose\.yaml:\d+:\d+: invalid yaml/],
    ['an empty file', { 'compose.yaml': '# nothing\n' }, /^compose\.yaml: empty compose file$/],
  ];
  for (const [what, files, expected] of cases) {
    test(what, async () => assert.match(await loadError(files), expected));
  }

  test('the second file of a merge is named when it is at fault', async () => {
    const message = await loadError({
      'compose.yaml': 'services:\n  web:\n    image: web\n',
      'more.yaml': '\nservices:\n  web:\n    networks: [nowhere]\n',
    }, { files: ['compose.yaml', 'more.yaml'] });
    assert.match(message, /^more\.yaml:4:5: services\.web\.networks\.nowhere:/);
  });
});

test('keys tsc-engine cannot honour are kept and reported with their line; version is obsolete', async () => {
  const { project, warnings } = await load({ 'compose.yaml': 'version: "3"\nservices:\n  web:\n    image: web\n    mem_swappiness: 10\n    x-mine: 1\n' });
  assert.equal(project.services.web.mem_swappiness, 10);
  assert.deepEqual(warnings, [
    'the attribute `version` is obsolete, it will be ignored',
    'compose.yaml:5:5: services.web.mem_swappiness: not supported by tsc-engine, it will be ignored',
  ]);
});
