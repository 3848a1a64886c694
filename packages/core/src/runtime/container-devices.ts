// SPDX-License-Identifier: Apache-2.0
import type { BigIntStats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { DeviceMapping } from '../api/run-options.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { OciDevice, OciLinux } from './oci-spec.js';

export type DeviceRule = NonNullable<NonNullable<OciLinux['resources']>['devices']>[number];

/** What `--device` mappings add to a spec: the nodes to make and the device cgroup rules that allow them. */
export interface ContainerDevices {
  devices: OciDevice[];
  rules: DeviceRule[];
}

const S_IFMT = 0o170000n;
const S_IFCHR = 0o020000n;
const S_IFBLK = 0o060000n;

/** Checks the mappings' shape at create; the host paths are looked at when the container starts. */
export function validateDeviceMappings(mappings: DeviceMapping[] | null | undefined): void {
  for (const mapping of mappings ?? []) {
    const permissions = mapping.CgroupPermissions || 'rwm';
    if (!/^[rwm]{1,3}$/.test(permissions)) throw new InvalidArgumentError(`bad mode specified: ${permissions}`);
    if (!posix.isAbsolute(mapping.PathOnHost ?? '')) {
      throw new InvalidArgumentError(`invalid device mapping: ${mapping.PathOnHost}: the path on the host must be absolute`);
    }
    if (mapping.PathInContainer && !posix.isAbsolute(mapping.PathInContainer)) {
      throw new InvalidArgumentError(`${mapping.PathInContainer} is not an absolute path`);
    }
  }
}

/**
 * The device nodes and cgroup rules of `--device` mappings, as moby's `oci.DevicesFromPath`: a device node maps
 * to one node, a directory to every device node under it (kept at the same relative paths).
 */
export async function containerDevices(mappings: DeviceMapping[] | null | undefined): Promise<ContainerDevices> {
  const found: ContainerDevices = { devices: [], rules: [] };
  for (const mapping of mappings ?? []) {
    const host = mapping.PathOnHost;
    const target = mapping.PathInContainer || host;
    const access = mapping.CgroupPermissions || 'rwm';
    const fail = (reason: string, cause?: unknown): never => {
      throw new InvalidArgumentError(`error gathering device information while adding custom device "${host}": ${reason}`, { cause });
    };
    const info = await stat(host, { bigint: true }).catch((error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? 'no such file or directory' : error.message, error),
    );
    if (info.isDirectory()) {
      for (const [relative, node] of await devicesUnder(host)) add(found, node, posix.join(target, relative), access);
    } else {
      add(found, deviceNode(info) ?? fail('not a device node'), target, access);
    }
  }
  return found;
}

type NodeInfo = Omit<OciDevice, 'path'>;

function add(found: ContainerDevices, node: NodeInfo, path: string, access: string): void {
  found.devices.push({ ...node, path });
  found.rules.push({ allow: true, type: node.type, major: node.major, minor: node.minor, access });
}

async function devicesUnder(directory: string, prefix = ''): Promise<[string, NodeInfo][]> {
  const found: [string, NodeInfo][] = [];
  for (const entry of await readdir(join(directory, prefix), { withFileTypes: true })) {
    const relative = posix.join(prefix, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await devicesUnder(directory, relative)));
    } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      const node = deviceNode(await stat(join(directory, relative), { bigint: true }));
      if (node) found.push([relative, node]);
    }
  }
  return found;
}

/** Linux's `dev_t` split (glibc `gnu_dev_major`/`gnu_dev_minor`), of a character or block device; else undefined. */
function deviceNode(info: BigIntStats): NodeInfo | undefined {
  const format = info.mode & S_IFMT;
  if (format !== S_IFCHR && format !== S_IFBLK) return undefined;
  const rdev = info.rdev;
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return {
    type: format === S_IFCHR ? 'c' : 'b',
    major: Number(major),
    minor: Number(minor),
    fileMode: Number(info.mode & 0o777n),
    uid: Number(info.uid),
    gid: Number(info.gid),
  };
}
