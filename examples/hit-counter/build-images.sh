#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the hit counter's two images from Debian's packages, offline but for apt, and pushes them to a local
# registry (started in the background when nothing answers there, as scripts/example.sh does):
#
#   <registry>/hit-counter/redis   busybox + redis-server (redis-server, redis-tools) and the libraries it links
#   <registry>/hit-counter/web     busybox (httpd serves web/www, whose CGI scripts count hits) + redis-cli
#
# Both share one base layer (busybox, redis-cli, the libraries). The .debs come from `apt-get download`, are
# unpacked with `dpkg -x`, and the libraries the binaries need are found with `ldd`; umoci makes the OCI layout,
# skopeo pushes it. A stamp of the inputs (this script, web/www, the packages' versions) skips the build when
# nothing changed, so a rerun only pushes (cheap: the registry has the blobs).
#
#   examples/hit-counter/build-images.sh
#
# EXAMPLE_REGISTRY (default 127.0.0.1:5000) and EXAMPLE_REGISTRY_DIR (default <repo>/.tmp/registry) move the
# registry, HIT_COUNTER_CACHE (default <repo>/.tmp/hit-counter) the build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
registry="${EXAMPLE_REGISTRY:-127.0.0.1:5000}"
registry_dir="${EXAMPLE_REGISTRY_DIR:-$repo/.tmp/registry}"
cache="${HIT_COUNTER_CACHE:-$repo/.tmp/hit-counter}"
packages=(busybox-static redis-server redis-tools)
PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

fail() { printf 'build-images: %s\n' "$*" >&2; exit 1; }

# The tools, and the packages themselves so that ldd finds the libraries their binaries link.
missing=()
for p in umoci skopeo docker-registry "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]} > 0)); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "could not install ${missing[*]} (apt-get update first?)"
fi

mkdir -p "$cache"
# Test files run in parallel; one builds, the others wait and then find the stamp.
exec 9>"$cache/.lock"
flock 9

versions="$(dpkg-query -W -f '${Package}=${Version}\n' "${packages[@]}")"
stamp="$({ cat "$here/build-images.sh"; find "$here/web/www" -type f | sort | xargs cat; echo "$versions"; umoci --version; } | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$cache/.stamp" || "$(cat "$cache/.stamp")" != "$stamp" ]]; then
  rm -rf "$cache/debs" "$cache/work" "$cache/oci" "$cache/.stamp"
  mkdir -p "$cache/debs" "$cache/work"
  # The versions installed, which are the ones whose libraries ldd sees.
  (cd "$cache/debs" && apt-get download -q=2 $versions 2>/dev/null) || {
    # apt's own cache is fine too, when the mirror is out of reach.
    for p in "${packages[@]}"; do
      cp "/var/cache/apt/archives/${p}_$(dpkg-query -W -f '${Version}' "$p" | sed 's/:/%3a/')_"*.deb "$cache/debs/" 2>/dev/null ||
        fail "apt-get download $p failed and it is not in /var/cache/apt/archives"
    done
  }
  debs="$cache/work/debs"
  for deb in "$cache/debs"/*.deb; do dpkg -x "$deb" "$debs"; done

  # Copies binaries (paths inside the unpacked .debs) into a rootfs with every library ldd says they need.
  add_binaries() {
    local root="$1" bin lib libs
    shift
    for bin in "$@"; do
      mkdir -p "$root/$(dirname "$bin")"
      cp -P "$debs/$bin" "$root/$bin"
      [[ -L "$debs/$bin" ]] && continue
      # ldd fails for a static binary (busybox-static), which needs nothing more.
      libs="$(ldd "$debs/$bin" 2>/dev/null)" || continue
      [[ "$libs" == *'not found'* ]] && fail "$bin: $(grep 'not found' <<<"$libs")"
      for lib in $(grep -o '/[^ ]*' <<<"$libs"); do
        [[ -e "$root$lib" ]] || cp -L --parents "$lib" "$root"
      done
    done
  }

  base="$cache/work/base"
  mkdir -p "$base"/{bin,etc,root,data,usr/bin,usr/sbin,sbin}
  mkdir -m 1777 "$base/tmp"
  add_binaries "$base" bin/busybox usr/bin/redis-cli
  for applet in $("$debs/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln -s busybox "$base/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$base/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$base/etc/group"
  # Names resolve through /etc/hosts, then the engine's DNS (how "redis" is found on the project network).
  printf 'hosts: files dns\n' >"$base/etc/nsswitch.conf"

  redis="$cache/work/redis"
  add_binaries "$redis" usr/bin/redis-check-rdb usr/bin/redis-server

  web="$cache/work/web"
  mkdir -p "$web"
  cp -a "$here/web/www" "$web/www"

  oci="$cache/oci"
  umoci init --layout "$oci"
  umoci new --image "$oci:base"
  umoci config --image "$oci:base" --config.env "$PATH_ENV" --config.workingdir / --config.cmd sh
  # Layers come from unpack + repack: umoci 0.4.7's `insert` truncates small layers.
  add_layer() {
    local from="$1" to="$2" content="$3" bundle="$cache/work/bundle"
    umoci unpack --image "$oci:$from" "$bundle" >/dev/null
    cp -a "$content/." "$bundle/rootfs/"
    umoci repack --image "$oci:$to" "$bundle" >/dev/null
    rm -rf "$bundle"
  }
  add_layer base base "$base"
  add_layer base redis "$redis"
  umoci config --image "$oci:redis" --config.workingdir /data --config.exposedports 6379/tcp \
    --config.cmd redis-server --config.cmd --protected-mode --config.cmd no
  add_layer base web "$web"
  umoci config --image "$oci:web" --config.exposedports 80/tcp \
    --config.cmd httpd --config.cmd -f --config.cmd -p --config.cmd 80 --config.cmd -h --config.cmd /www
  umoci gc --layout "$oci"
  rm -rf "$cache/work"
  echo "$stamp" >"$cache/.stamp"
  echo "built hit-counter/redis and hit-counter/web in $oci"
fi

node "$repo/test/lib/support/local-fixture-registry-cli.js" up --host "$registry" --dir "$registry_dir" busybox ||
  fail "could not start a registry on $registry (see the message above)"
for image in redis web; do
  skopeo --insecure-policy copy --quiet --dest-tls-verify=false "oci:$cache/oci:$image" "docker://$registry/hit-counter/$image:latest" ||
    fail "could not push hit-counter/$image to $registry"
done
echo "pushed $registry/hit-counter/redis:latest, $registry/hit-counter/web:latest"
