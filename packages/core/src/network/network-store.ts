// SPDX-License-Identifier: Apache-2.0
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkRecord } from './network-record.js';

/** Network records, one file each under `<data-root>/networks/`, written whole and renamed into place. */
export class NetworkStore {
  constructor(private readonly directory: string) {}

  async loadAll(): Promise<NetworkRecord[]> {
    await mkdir(this.directory, { recursive: true });
    const records: NetworkRecord[] = [];
    for (const file of await readdir(this.directory)) {
      if (!file.endsWith('.json')) continue;
      records.push(JSON.parse(await readFile(join(this.directory, file), 'utf8')) as NetworkRecord);
    }
    return records;
  }

  async save(record: NetworkRecord): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const temp = join(this.directory, `.${record.id}.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, join(this.directory, `${record.id}.json`));
  }

  async delete(id: string): Promise<void> {
    await rm(join(this.directory, `${id}.json`), { force: true });
  }
}
