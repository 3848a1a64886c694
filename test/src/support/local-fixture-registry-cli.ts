// SPDX-License-Identifier: Apache-2.0
// The shell scripts' way to the fixture registry (scripts/example.sh, bench/), so they push exactly what tests do:
//
//   node test/lib/support/local-fixture-registry-cli.js up [--host 127.0.0.1:5000] [--dir <repo>/.tmp/registry] [fixture…]
//   node test/lib/support/local-fixture-registry-cli.js down [--dir <repo>/.tmp/registry]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FIXTURE_NAMES, REPO_ROOT } from './fixture-registry.js';
import { ensureLocalFixtureRegistry, stopLocalFixtureRegistry } from './local-fixture-registry.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    host: { type: 'string', default: '127.0.0.1:5000' },
    dir: { type: 'string', default: join(REPO_ROOT, '.tmp/registry') },
  },
});
const [command, ...fixtures] = positionals;

try {
  if (command === 'up') {
    const names = fixtures.length > 0 ? fixtures : FIXTURE_NAMES;
    const registry = await ensureLocalFixtureRegistry({ host: values.host, dir: values.dir, fixtures: names });
    console.log(registry.started
      ? `started a docker-registry on ${registry.host} (log: ${registry.logPath})`
      : `a registry already answers on ${registry.host}: reusing it`);
    console.log(`pushed ${names.map((name) => `${registry.host}/fixtures/${name}:latest`).join(', ')}`);
  } else if (command === 'down' && fixtures.length === 0) {
    console.log((await stopLocalFixtureRegistry(values.dir)) ? `stopped the registry of ${values.dir}` : `no registry of ${values.dir} was running`);
  } else {
    console.error('usage: local-fixture-registry-cli.js up [--host H] [--dir D] [fixture…] | down [--dir D]');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`fixture registry: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
