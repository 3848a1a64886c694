// SPDX-License-Identifier: Apache-2.0
import { renderTable, type DiskUsage } from '@tsc-engine/core/client';
import { containerRow } from './container-list-format.js';
import { humanSize } from './human-size.js';
import { imageRows } from './image-list-format.js';

/** `docker system df`'s summary: one line per kind, its reclaimable part worked out as docker's CLI does. */
export function diskUsageSummary(usage: DiskUsage): string {
  const percent = (part: number, total: number) => (total > 0 ? `${humanSize(part)} (${Math.floor((part * 100) / total)}%)` : humanSize(part));
  // An image in use keeps what it alone holds; docker counts shared layers as reclaimable.
  const imagesUsed = usage.Images.filter((i) => i.Containers > 0 && i.SharedSize >= 0).reduce((sum, i) => sum + i.Size - i.SharedSize, 0);
  const containersSize = usage.Containers.reduce((sum, c) => sum + c.SizeRw, 0);
  const idleContainersSize = usage.Containers.filter((c) => c.State !== 'running').reduce((sum, c) => sum + c.SizeRw, 0);
  const volumeSize = (filter: (refs: number) => boolean) =>
    usage.Volumes.filter((v) => (v.UsageData?.Size ?? -1) >= 0 && filter(v.UsageData?.RefCount ?? 0)).reduce((sum, v) => sum + (v.UsageData?.Size ?? 0), 0);
  const volumesSize = volumeSize(() => true);
  return renderTable([
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    [
      'Images',
      String(usage.Images.length),
      String(usage.Images.filter((i) => i.Containers > 0).length),
      humanSize(usage.LayersSize),
      percent(usage.LayersSize - imagesUsed, usage.LayersSize),
    ],
    [
      'Containers',
      String(usage.Containers.length),
      String(usage.Containers.filter((c) => c.State === 'running').length),
      humanSize(containersSize),
      percent(idleContainersSize, containersSize),
    ],
    [
      'Local Volumes',
      String(usage.Volumes.length),
      String(usage.Volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length),
      humanSize(volumesSize),
      percent(volumeSize((refs) => refs === 0), volumesSize),
    ],
    ['Build Cache', '0', '0', '0B', '0B'],
  ]);
}

/** `docker system df -v`: each image, container and volume with what it takes. */
export function diskUsageDetail(usage: DiskUsage, now = Date.now()): string {
  const images = usage.Images.flatMap((image) =>
    imageRows([image], { truncate: true, now }).map((row) => [
      row.Repository, row.Tag, row.ID, row.CreatedSince, row.Size,
      humanSize(Math.max(image.SharedSize, 0)), humanSize(image.Size - Math.max(image.SharedSize, 0)), String(image.Containers),
    ]),
  );
  const containers = usage.Containers.map((container) => {
    const row = containerRow(container, { truncate: true, now });
    const volumes = container.Mounts.filter((mount) => mount.Type === 'volume').length;
    return [row.ID, row.Image, row.Command, String(volumes), humanSize(container.SizeRw), row.RunningFor, row.Status, row.Names];
  });
  const volumes = usage.Volumes.map((volume) => [volume.Name, String(volume.UsageData?.RefCount ?? 0), humanSize(Math.max(volume.UsageData?.Size ?? 0, 0))]);
  return [
    'Images space usage:\n',
    renderTable([['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'], ...images]),
    'Containers space usage:\n',
    renderTable([['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'], ...containers]),
    'Local Volumes space usage:\n',
    renderTable([['VOLUME NAME', 'LINKS', 'SIZE'], ...volumes]),
    'Build cache usage: 0B\n',
    renderTable([['CACHE ID', 'CACHE TYPE', 'SIZE', 'CREATED', 'LAST USED', 'USAGE', 'SHARED']]),
  ].join('\n');
}
