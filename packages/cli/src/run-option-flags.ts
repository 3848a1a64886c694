// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import {
  InvalidArgumentError,
  parseDeviceMapping,
  parseUlimit,
  ramInBytes,
  type ContainerRunOptions,
} from '@tsc-engine/core/client';

// Repeatable flags must not be greedy, or `--dns 1.1.1.1 busybox` would take the image as a second server.
const repeatable = (description: string) => Flags.string({ multiple: true, multipleNonGreedy: true, description });

/** `run` and `create`'s process and sandbox flags, named and spelled as docker's. */
export const runOptionFlags = {
  ulimit: repeatable('ulimit options (nofile=1024:2048); a limit can only be lowered below the daemon\'s own'),
  'read-only': Flags.boolean({ description: "mount the container's root filesystem as read only" }),
  sysctl: repeatable('namespaced kernel parameter (net.ipv4.ip_unprivileged_port_start=1024)'),
  dns: repeatable('set custom DNS servers'),
  'dns-search': repeatable('set custom DNS search domains'),
  'dns-option': repeatable('set DNS options (ndots:2)'),
  // docker still takes the old spelling.
  'dns-opt': Flags.string({ multiple: true, multipleNonGreedy: true, hidden: true }),
  'shm-size': Flags.string({ description: 'size of /dev/shm (64m)' }),
  device: repeatable('add a host device to the container (/dev/fuse[:/dev/fuse][:rwm])'),
  'group-add': repeatable('add additional groups to join'),
  pid: Flags.string({ description: 'PID namespace to use (host, or container:<name|id>)' }),
};

export interface RunOptionFlagValues {
  ulimit?: string[];
  'read-only'?: boolean;
  sysctl?: string[];
  dns?: string[];
  'dns-search'?: string[];
  'dns-option'?: string[];
  'dns-opt'?: string[];
  'shm-size'?: string;
  device?: string[];
  'group-add'?: string[];
  pid?: string;
}

/** The `HostConfig` fields the flags ask for, only those given; the daemon checks them against the host. */
export function runOptionsFromFlags(flags: RunOptionFlagValues): ContainerRunOptions {
  const dnsOptions = [...(flags['dns-option'] ?? []), ...(flags['dns-opt'] ?? [])];
  const options: ContainerRunOptions = {
    Ulimits: flags.ulimit && [...new Map(flags.ulimit.map(parseUlimit).map((u) => [u.Name, u])).values()],
    ReadonlyRootfs: flags['read-only'] || undefined,
    Sysctls: flags.sysctl && Object.fromEntries(flags.sysctl.map(parseSysctl)),
    Dns: flags.dns,
    DnsSearch: flags['dns-search'],
    DnsOptions: dnsOptions.length > 0 ? dnsOptions : undefined,
    ShmSize: flags['shm-size'] === undefined ? undefined : ramInBytes(flags['shm-size']),
    Devices: flags.device?.map(parseDeviceMapping),
    GroupAdd: flags['group-add'],
    PidMode: flags.pid,
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function parseSysctl(text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`sysctl '${text}' is not allowed`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}
