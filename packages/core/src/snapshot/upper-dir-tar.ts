// SPDX-License-Identifier: Apache-2.0
import type { Readable } from 'node:stream';
import { addEmptyEntry, addPathEntry, pathHeader, tarStream } from '../archive/add-path-entry.js';
import { walkUpperDir } from './upper-dir-walk.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_WHITEOUT = '.wh..wh..opq';

/**
 * A container's writable layer as an OCI layer tar (moby's overlay2 `Diff`): overlayfs whiteouts become `.wh.<name>`
 * entries and opaque directories get a `.wh..wh..opq` entry, the form `LayerEntryWriter` turns back into overlayfs
 * whiteouts. Files hard-linked together go in once, then as links. Extended attributes are left out.
 */
export function upperDirTar(upper: string): Readable {
  return tarStream(async (pack) => {
    const links = new Map<string, string>();
    for (const { path, stats, kind } of await walkUpperDir(upper)) {
      if (kind === 'whiteout') {
        const slash = path.lastIndexOf('/');
        const name = `${path.slice(0, slash + 1)}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`;
        await addEmptyEntry(pack, { ...pathHeader(stats, name), mode: 0, type: 'file' });
        continue;
      }
      await addPathEntry(pack, `${upper}/${path}`, path, stats, links);
      if (kind === 'opaque') await addEmptyEntry(pack, { ...pathHeader(stats, `${path}/${OPAQUE_WHITEOUT}`), mode: 0, type: 'file' });
    }
  });
}
