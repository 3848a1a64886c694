// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, ramInBytes, type MountSpec, type MountType } from '@tsc-engine/core/client';

const MOUNT_TYPES: MountType[] = ['bind', 'volume', 'tmpfs'];

/**
 * `--mount type=…,source=…,target=…[,readonly][,…]` as `HostConfig.Mounts` carries it, parsed as docker's CLI does
 * (docker/cli `opts/mount.go`): CSV fields, `volume-*`, `bind-*` and `tmpfs-*` options only with their type.
 */
export function parseMountOption(value: string): MountSpec {
  const spec: MountSpec = { Type: 'volume', Target: '' };
  const volume = () => (spec.VolumeOptions ??= {});
  const tmpfs = () => (spec.TmpfsOptions ??= {});
  for (const field of splitCsv(value)) {
    const equals = field.indexOf('=');
    const key = (equals < 0 ? field : field.slice(0, equals)).toLowerCase();
    const raw = equals < 0 ? undefined : field.slice(equals + 1);
    const text = () => {
      if (raw === undefined) throw new InvalidArgumentError(`invalid field '${field}' must be a key=value pair`);
      return raw;
    };
    switch (key) {
      case 'type': {
        const type = text() as MountType;
        if (!MOUNT_TYPES.includes(type)) throw new InvalidArgumentError(`invalid mount type '${type}': only bind, volume and tmpfs are supported`);
        spec.Type = type;
        break;
      }
      case 'source':
      case 'src':
        spec.Source = text();
        break;
      case 'target':
      case 'dst':
      case 'destination':
        spec.Target = text();
        break;
      case 'readonly':
      case 'ro':
        spec.ReadOnly = parseBool(field, raw);
        break;
      case 'consistency':
        spec.Consistency = text();
        break;
      case 'bind-propagation':
        spec.BindOptions = { ...spec.BindOptions, Propagation: text() };
        break;
      case 'bind-create-mountpoint':
        spec.BindOptions = { ...spec.BindOptions, CreateMountpoint: parseBool(field, raw) };
        break;
      case 'volume-nocopy':
        volume().NoCopy = parseBool(field, raw);
        break;
      case 'volume-label': {
        const [name, labelValue] = keyValue(field, text());
        volume().Labels = { ...volume().Labels, [name]: labelValue };
        break;
      }
      case 'volume-driver':
        volume().DriverConfig = { ...volume().DriverConfig, Name: text() };
        break;
      case 'volume-opt': {
        const [name, optionValue] = keyValue(field, text());
        const driver = (volume().DriverConfig ??= {});
        driver.Options = { ...driver.Options, [name]: optionValue };
        break;
      }
      case 'tmpfs-size':
        tmpfs().SizeBytes = ramInBytes(text());
        break;
      case 'tmpfs-mode': {
        if (!/^[0-7]+$/.test(text())) throw new InvalidArgumentError(`invalid value for ${key}: ${text()}`);
        tmpfs().Mode = Number.parseInt(text(), 8);
        break;
      }
      default:
        throw new InvalidArgumentError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (!spec.Target) throw new InvalidArgumentError('target is required');
  for (const [options, type] of [[spec.VolumeOptions, 'volume'], [spec.BindOptions, 'bind'], [spec.TmpfsOptions, 'tmpfs']] as const) {
    if (options && spec.Type !== type) throw new InvalidArgumentError(`cannot mix '${type}-*' options with mount type '${spec.Type}'`);
  }
  return spec;
}

/** The parts of a create request that `-v`, `--mount` and `--tmpfs` fill, each left out when its flag is not given. */
export interface MountRequestFields {
  volumes?: Record<string, object>;
  binds?: string[];
  mounts?: MountSpec[];
  tmpfs?: Record<string, string>;
}

/**
 * `-v`, `--mount` and `--tmpfs` as docker's CLI sends them: `-v a:b[:mode]` is a bind (or named volume) in
 * `HostConfig.Binds` while a lone `-v /path` is an anonymous volume in `Config.Volumes`; `--tmpfs /path[:options]`
 * goes to the `HostConfig.Tmpfs` map.
 */
export function mountRequestFields(flags: { volume?: string[]; mount?: string[]; tmpfs?: string[] }): MountRequestFields {
  const fields: MountRequestFields = {};
  for (const value of flags.volume ?? []) {
    if (value.includes(':')) (fields.binds ??= []).push(value);
    else (fields.volumes ??= {})[value] = {};
  }
  if (flags.mount?.length) fields.mounts = flags.mount.map(parseMountOption);
  for (const value of flags.tmpfs ?? []) {
    const colon = value.indexOf(':');
    (fields.tmpfs ??= {})[colon < 0 ? value : value.slice(0, colon)] = colon < 0 ? '' : value.slice(colon + 1);
  }
  return fields;
}

function parseBool(field: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  switch (value.toLowerCase()) {
    case '1':
    case 'true':
      return true;
    case '0':
    case 'false':
      return false;
    default:
      throw new InvalidArgumentError(`invalid value for '${field}'`);
  }
}

function keyValue(field: string, text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`invalid field '${field}' must be a key=value pair`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}

/** CSV fields with `"…"` quoting, which docker allows so a value may hold a comma (`"volume-opt=o=a,b"`). */
function splitCsv(value: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      if (quoted && value[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new InvalidArgumentError(`invalid mount specification: unterminated quote in '${value}'`);
  fields.push(current);
  return fields.filter((f) => f !== '');
}
