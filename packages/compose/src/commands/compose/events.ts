// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { STREAM_END, STREAM_START, type StreamEvent } from '@tsc-engine/core/state';
import { ComposeCommand } from '../../compose-command.js';
import { checkProjectName } from '../../loader/project-files.js';
import { openStateBackend } from '../../state/open-state-backend.js';

export default class ComposeEvents extends ComposeCommand {
  static override summary = 'Print the project\'s events as they happen';
  static override description =
    'Follows the project\'s event stream in the state store (--state / TSC_ENGINE_STATE, else the embedded store), ' +
    'so every CLI sharing the store sees the same events in the same order. Ctrl-C to leave.';
  static override strict = false;
  static override usage = 'compose events [--json] [--since-start] [SERVICE...]';
  static override flags = {
    json: Flags.boolean({ description: 'one JSON object a line' }),
    'since-start': Flags.boolean({ description: 'print the stored history first, then follow' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeEvents);
    // `-p` alone names the project, as for docker compose's commands that need no compose file.
    const namespace = flags['project-name'] ? checkProjectName(flags['project-name'], '-p') : (await this.loadProject(flags)).name;
    const services = new Set(argv as string[]);
    const backend = await openStateBackend(flags.state);
    const interrupted = new AbortController();
    const onSignal = (): void => interrupted.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const events = await backend.events.subscribe({ namespace, after: flags['since-start'] ? STREAM_START : STREAM_END }, interrupted.signal);
      for await (const event of events) {
        if (services.size > 0 && !services.has(String(event.payload.service))) continue;
        process.stdout.write(flags.json ? `${JSON.stringify(toJson(event))}\n` : `${toLine(event)}\n`);
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await backend.close();
    }
  }
}

function toJson(event: StreamEvent): object {
  return { id: event.id, time: new Date(event.timestamp).toISOString(), project: event.namespace, topic: event.topic, payload: event.payload };
}

/** `2024-05-01T12:00:00.000Z /container/start service=web container=shop-web-1`. */
function toLine(event: StreamEvent): string {
  const attributes = Object.entries(event.payload).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [new Date(event.timestamp).toISOString(), event.topic, ...attributes].join(' ');
}
