// SPDX-License-Identifier: Apache-2.0

/** The manifest and layer media types the engine reads (image-spec `media-types.md` and Docker schema2). */
export const MediaType = {
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** What a manifest GET accepts, in containerd's order. */
export const MANIFEST_ACCEPT = [
  MediaType.DockerManifest,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.OciIndex,
  '*/*',
].join(', ');

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}

export function isManifestMediaType(mediaType: string): boolean {
  return mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest;
}

/** How a layer blob is compressed, from its media type (including the non-distributable and Docker variants). */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

export function layerCompression(mediaType: string): LayerCompression | undefined {
  if (mediaType === MediaType.DockerLayerGzip || mediaType === 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip') {
    return 'gzip';
  }
  const match = /^application\/vnd\.oci\.image\.layer\.(?:nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/.exec(mediaType);
  if (!match) return undefined;
  return match[1] === '+gzip' ? 'gzip' : match[1] === '+zstd' ? 'zstd' : 'none';
}
