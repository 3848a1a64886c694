// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { parsePortSpecs, type ContainerCreateRequest, type EndpointConfig } from '@tsc-engine/core/client';

/** The networking flags of `create` and `run`, named as docker's. */
export const networkFlags = {
  network: Flags.string({ description: 'connect the container to a network (bridge, host, none or a network name)' }),
  'network-alias': Flags.string({ multiple: true, multipleNonGreedy: true, description: 'add a network-scoped alias for the container' }),
  publish: Flags.string({
    char: 'p',
    multiple: true,
    multipleNonGreedy: true,
    description: "publish a container's port to the host ([ip:][hostPort:]containerPort[/tcp|udp], ranges allowed)",
  }),
  'publish-all': Flags.boolean({ char: 'P', description: 'publish all exposed ports to random host ports' }),
  expose: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'expose a port or a range of ports' }),
};

interface NetworkFlagValues {
  network?: string;
  'network-alias'?: string[];
  publish?: string[];
  'publish-all'?: boolean;
  expose?: string[];
}

/** The parts of a create request these flags make, as docker's CLI builds them. */
export function networkRequestFields(flags: NetworkFlagValues): {
  exposedPorts?: ContainerCreateRequest['ExposedPorts'];
  hostConfig: { NetworkMode?: string; PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null>; PublishAllPorts?: boolean };
  networkingConfig?: ContainerCreateRequest['NetworkingConfig'];
} {
  const published = parsePortSpecs(flags.publish ?? []);
  // `--expose 80` reads as `-p 80` would, of which only the exposing is kept.
  const exposed = parsePortSpecs(flags.expose ?? []).exposedPorts;
  const exposedPorts = { ...exposed, ...published.exposedPorts };
  const aliases = flags['network-alias'] ?? [];
  const network = flags.network;
  const endpoint: EndpointConfig = { Aliases: aliases };
  return {
    exposedPorts: Object.keys(exposedPorts).length > 0 ? exposedPorts : undefined,
    hostConfig: {
      NetworkMode: network ?? 'default',
      PortBindings: Object.keys(published.portBindings).length > 0 ? published.portBindings : undefined,
      PublishAllPorts: flags['publish-all'] || undefined,
    },
    networkingConfig: network && aliases.length > 0 ? { EndpointsConfig: { [network]: endpoint } } : undefined,
  };
}
