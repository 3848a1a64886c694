// SPDX-License-Identifier: Apache-2.0
import type { EngineDaemon } from './engine-daemon.js';

/**
 * The ids of the containers (running or not), networks or volumes that carry `project`'s compose label, as the
 * engine lists them; `filters` (`label=…`) narrow the list further.
 */
export async function projectObjects(engine: EngineDaemon, project: string, kind: 'container' | 'network' | 'volume', ...filters: string[]): Promise<string[]> {
  const list = kind === 'container' ? ['ps', '-aq'] : [kind, 'ls', '-q'];
  const filterFlags = [`label=com.docker.compose.project=${project}`, ...filters].flatMap((filter) => ['--filter', filter]);
  return (await engine.cliOk([...list, ...filterFlags])).split('\n').filter(Boolean);
}
