// SPDX-License-Identifier: Apache-2.0
import type { NetworkConnectRequest, NetworkCreateRequest, NetworkDisconnectRequest } from '../../api/network.js';
import type { ContainerService } from '../../container/container-service.js';
import { InvalidArgumentError } from '../../errors/engine-error.js';
import { toNetworkInspect } from '../../network/network-presenter.js';
import type { NetworkRecord } from '../../network/network-record.js';
import type { NetworkService } from '../../network/network-service.js';
import { parseFilters, readJsonBody, sendEmpty, sendJson } from '../http-responses.js';
import type { Route } from '../route.js';

/** What the network endpoints need: the networks, and containers to connect by name. */
export type NetworkBackend = Pick<NetworkService, 'list' | 'get' | 'create' | 'remove' | 'prune' | 'connect' | 'disconnect' | 'endpointsOf'>;
export type NetworkContainers = Pick<ContainerService, 'get' | 'list'>;

export function networkRoutes(networks: NetworkBackend, containers: NetworkContainers): Route[] {
  return [
    {
      method: 'GET',
      path: '/networks',
      handler: async ({ res, query }) => {
        const filters = parseFilters(query);
        // Docker lists networks without their containers; inspect shows them.
        sendJson(res, 200, networks.list().filter((n) => matchesFilters(n, filters)).map((n) => toNetworkInspect(n, [])));
      },
    },
    {
      method: 'POST',
      path: '/networks/create',
      handler: async ({ req, res }) => {
        const network = await networks.create(await readJsonBody<NetworkCreateRequest>(req));
        sendJson(res, 201, { Id: network.id, Warning: '' });
      },
    },
    {
      method: 'POST',
      path: '/networks/prune',
      handler: async ({ res }) => sendJson(res, 200, { NetworksDeleted: await networks.prune(containers.list()) }),
    },
    {
      method: 'GET',
      path: '/networks/:id',
      handler: async ({ res, params }) => {
        const network = networks.get(params.id);
        sendJson(res, 200, toNetworkInspect(network, networks.endpointsOf(network)));
      },
    },
    {
      method: 'DELETE',
      path: '/networks/:id',
      handler: async ({ res, params }) => {
        await networks.remove(params.id);
        sendEmpty(res, 204);
      },
    },
    {
      method: 'POST',
      path: '/networks/:id/connect',
      handler: async ({ req, res, params }) => {
        const body = await readJsonBody<NetworkConnectRequest>(req);
        if (!body.Container) throw new InvalidArgumentError('connect: Container is required');
        await networks.connect(containers.get(body.Container), params.id, body.EndpointConfig ?? {});
        sendEmpty(res, 200);
      },
    },
    {
      method: 'POST',
      path: '/networks/:id/disconnect',
      handler: async ({ req, res, params }) => {
        const body = await readJsonBody<NetworkDisconnectRequest>(req);
        if (!body.Container) throw new InvalidArgumentError('disconnect: Container is required');
        await networks.disconnect(containers.get(body.Container), params.id);
        sendEmpty(res, 200);
      },
    },
  ];
}

function matchesFilters(network: NetworkRecord, filters: Record<string, string[]>): boolean {
  return Object.entries(filters).every(([key, values]) =>
    values.some((value) => {
      switch (key) {
        case 'name':
          return network.name.includes(value);
        case 'id':
          return network.id.startsWith(value);
        case 'driver':
          return network.driver === value;
        case 'type':
          return value === 'builtin' ? network.predefined : value === 'custom' ? !network.predefined : false;
        case 'label': {
          const [k, v] = value.split('=', 2);
          return v === undefined ? k in network.labels : network.labels[k] === v;
        }
        case 'dangling':
          return true;
        default:
          throw new InvalidArgumentError(`invalid filter '${key}'`);
      }
    }),
  );
}
