// SPDX-License-Identifier: Apache-2.0
import type { ContainerCreateRequest, ContainerWaitResponse, WaitCondition } from '../../api/container.js';
import { toContainerInspect, toContainerSummary } from '../../container/container-presenter.js';
import { dockerStatus, type ContainerRecord } from '../../container/container-record.js';
import type { ContainerService } from '../../container/container-service.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import type { LogReadOptions } from '../../supervisor/supervisor.js';
import { parseFilters, queryFlag, readJsonBody, sendEmpty, sendJson } from '../http-responses.js';
import { writeLogStream } from '../log-stream.js';
import type { Route } from '../route.js';

/** What the container endpoints need of the daemon (moby's per-router backend interfaces). */
export type ContainerBackend = Pick<
  ContainerService,
  'create' | 'start' | 'stop' | 'kill' | 'remove' | 'wait' | 'get' | 'list' | 'logs'
>;

const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

export function containerRoutes(backend: ContainerBackend): Route[] {
  return [
    {
      method: 'POST',
      path: '/containers/create',
      handler: async ({ req, res, query }) => {
        const body = await readJsonBody<ContainerCreateRequest>(req);
        const record = await backend.create(body, query.get('name') || undefined);
        sendJson(res, 201, { Id: record.id, Warnings: record.warnings ?? [] });
      },
    },
    {
      method: 'GET',
      path: '/containers/json',
      handler: async ({ res, query }) => {
        const all = queryFlag(query, 'all');
        const filters = parseFilters(query);
        const limit = Number(query.get('limit') ?? -1);
        let records = backend.list().filter((r) => (all || r.state.status === 'running') && matchesFilters(r, filters));
        if (limit > 0) records = records.slice(0, limit);
        sendJson(res, 200, records.map((r) => toContainerSummary(r)));
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/json',
      handler: async ({ res, params }) => sendJson(res, 200, toContainerInspect(backend.get(params.id))),
    },
    {
      method: 'POST',
      path: '/containers/:id/start',
      handler: async ({ res, params }) => {
        await backend.start(params.id);
        sendEmpty(res, 204);
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/stop',
      handler: async ({ res, params, query }) => {
        const t = query.get('t');
        await backend.stop(params.id, t === null || t === '' ? undefined : Number(t), query.get('signal') || undefined);
        sendEmpty(res, 204);
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/kill',
      handler: async ({ res, params, query }) => {
        await backend.kill(params.id, query.get('signal') || undefined);
        sendEmpty(res, 204);
      },
    },
    {
      method: 'DELETE',
      path: '/containers/:id',
      handler: async ({ res, params, query }) => {
        await backend.remove(params.id, { force: queryFlag(query, 'force'), volumes: queryFlag(query, 'v') });
        sendEmpty(res, 204);
      },
    },
    {
      method: 'POST',
      path: '/containers/:id/wait',
      handler: async ({ res, params, query }) => {
        const condition = (query.get('condition') || 'not-running') as WaitCondition;
        if (!WAIT_CONDITIONS.includes(condition)) throw new InvalidArgumentError(`invalid condition: "${condition}"`);
        const exit = backend.wait(params.id, condition);
        // `docker run` waits for these headers before it starts the container: send them before the exit happens.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        const body: ContainerWaitResponse = { StatusCode: await exit, Error: null };
        res.end(JSON.stringify(body));
      },
    },
    {
      method: 'GET',
      path: '/containers/:id/logs',
      handler: async (context) => {
        const { params, query } = context;
        const record = backend.get(params.id);
        const options: LogReadOptions = {
          follow: queryFlag(query, 'follow'),
          stdout: queryFlag(query, 'stdout'),
          stderr: queryFlag(query, 'stderr'),
          since: parseTime(query.get('since')),
          until: parseTime(query.get('until')),
          tail: parseTail(query.get('tail')),
        };
        if (!options.stdout && !options.stderr) {
          throw new InvalidArgumentError('Bad parameters: you must choose at least one stream');
        }
        await writeLogStream(context, backend.logs(record.id, options, context.signal), {
          tty: record.config.Tty === true,
          timestamps: queryFlag(query, 'timestamps'),
        });
      },
    },
  ];
}

function matchesFilters(record: ContainerRecord, filters: Record<string, string[]>): boolean {
  return Object.entries(filters).every(([key, values]) =>
    // As dockerd: a container must carry every label asked for; of the other filters' values any one will do.
    values[key === 'label' ? 'every' : 'some']((value) => {
      switch (key) {
        case 'id':
          return record.id.startsWith(value);
        case 'name':
          return record.name.includes(value.replace(/^\//, ''));
        case 'status':
          return dockerStatus(record.state) === value;
        case 'label': {
          const [k, v] = value.split('=', 2);
          const labels = record.config.Labels ?? {};
          return v === undefined ? k in labels : labels[k] === v;
        }
        case 'exited':
          return record.state.status === 'exited' && String(record.state.exitCode) === value;
        case 'volume':
          return (record.mounts ?? []).some((m) => m.name === value || m.source === value || m.destination === value);
        case 'health':
          return (record.state.health?.Status ?? 'none') === value;
        case 'ancestor':
          return [value, `${value}:latest`].includes(record.config.Image ?? '') || record.imageId.startsWith(value) || record.imageId === `sha256:${value}`;
        case 'network':
          return record.network?.mode === value || (record.network?.endpoints ?? []).some((e) => e.networkName === value || e.networkId.startsWith(value));
        default:
          throw new InvalidArgumentError(`invalid filter '${key}'`);
      }
    }),
  );
}

/** `since`/`until` as Unix seconds (possibly fractional) or RFC 3339. */
function parseTime(value: string | null): Date | undefined {
  if (!value || value === '0') return undefined;
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`invalid time value: ${value}`);
  return date;
}

function parseTail(value: string | null): number | undefined {
  if (value === null || value === '' || value === 'all') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`invalid tail value: ${value}`);
  return n;
}
