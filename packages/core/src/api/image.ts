// SPDX-License-Identifier: Apache-2.0
import type { ImageRunConfig } from '../image/image-config.js';
import type { ContainerSummary } from './container.js';
import type { Volume } from './volume.js';

/** An entry of `GET /images/json`. */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** Unix seconds. */
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize: number;
  Labels: Record<string, string>;
  Containers: number;
}

/** `GET /images/{name}/json`. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  /** RFC 3339. */
  Created: string;
  Author: string;
  Config: ImageRunConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  VirtualSize: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
}

/** An entry of `GET /images/{name}/history`, newest first. */
export interface ImageHistoryItem {
  /** The image id on the newest entry; `<missing>` on the others (they are no images of their own here). */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  /** Familiar names of the image, on the entry carrying its id. */
  Tags: string[] | null;
  /** Bytes of the layer the step made; 0 for a step that made none. */
  Size: number;
  Comment: string;
}

/** An entry of the `DELETE /images/{name}` answer. */
export type ImageDeleteItem = { Untagged: string } | { Deleted: string };

/** `POST /images/prune`. */
export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

/** `GET /system/df`. */
export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[];
  /** With the size of what each container wrote (`SizeRw`) and of its whole root file system. */
  Containers: (ContainerSummary & { SizeRw: number; SizeRootFs: number })[];
  /** With `UsageData` filled in. */
  Volumes: Volume[];
  BuildCache: unknown[];
}
