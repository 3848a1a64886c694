// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the local driver keeps of a volume besides its data. */
export interface VolumeRecord {
  name: string;
  /** RFC 3339, seconds precision, as Docker shows it. */
  createdAt: string;
  labels: Record<string, string>;
  options: Record<string, string>;
}

const METADATA = 'volume.json';
const DATA = '_data';
/** Prefix of directories being created or removed; volume names cannot start with a dot, so they never clash. */
const STAGING = '.staging-';

/**
 * Docker's `local` volume driver on disk: `<root>/<name>/_data` holds the data and `<root>/<name>/volume.json` the
 * metadata. A volume is assembled in a staging directory and renamed into place, and removed by renaming it away
 * first, so a crash leaves either a whole volume or none; leftovers of either are cleared by {@link loadAll}.
 */
export class LocalVolumeStore {
  constructor(readonly root: string) {}

  dataPath(name: string): string {
    return join(this.root, name, DATA);
  }

  async loadAll(): Promise<VolumeRecord[]> {
    await mkdir(this.root, { recursive: true });
    const records: VolumeRecord[] = [];
    for (const entry of await readdir(this.root)) {
      if (entry.startsWith(STAGING)) {
        await rm(join(this.root, entry), { recursive: true, force: true });
        continue;
      }
      const record = await this.read(entry).catch(() => undefined);
      if (record) records.push(record);
    }
    return records;
  }

  /** Creates the volume, or returns the one that already has the name (Docker's create is idempotent). */
  async create(record: VolumeRecord): Promise<VolumeRecord> {
    const staging = this.stagingPath();
    try {
      await mkdir(join(staging, DATA), { recursive: true, mode: 0o755 });
      await writeFile(join(staging, METADATA), JSON.stringify(record));
      await rename(staging, join(this.root, record.name));
      return record;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return this.read(record.name);
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    const doomed = this.stagingPath();
    await rename(join(this.root, name), doomed);
    await rm(doomed, { recursive: true, force: true });
  }

  private async read(name: string): Promise<VolumeRecord> {
    return JSON.parse(await readFile(join(this.root, name, METADATA), 'utf8')) as VolumeRecord;
  }

  private stagingPath(): string {
    return join(this.root, `${STAGING}${randomBytes(8).toString('hex')}`);
  }
}
