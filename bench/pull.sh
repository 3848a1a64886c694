#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Times pulling a 4-layer image of about 130 MB (gzip) from a registry on loopback: tsc-engine against docker pull,
# podman pull, skopeo copy to a directory and the raw floor (per layer in parallel: curl | tee >(sha256sum) | tar -xz).
#
#   bench/pull.sh [-n RUNS] [--settle SECONDS] [--only tsc,docker,podman,skopeo,floor]
#
# The image is built once from this machine's Debian files (python3.11, /usr/include, /usr/lib/gcc,
# /usr/share/locale: one layer each, about 15k files) with umoci, and cached in .tmp/bench/pull-image. Every run of
# every tool pulls into a fresh directory (a new data root, and for docker a new dockerd), so nothing is deleted
# while timing: this disk (ext4 without a journal) creates files 3-4x slower for a minute or more after a large
# delete. Old runs are deleted at the start, followed by --settle seconds of quiet; the runs are deleted at the end.
# The tools take turns run by run, so a slow minute of the disk does not land on one tool only.
# Everything it starts (a docker-registry on 127.0.0.1:5001, tsc-engine daemons, dockerds) is stopped on exit.
source "$(dirname "$0")/common.sh"

runs=3
settle=60
only=tsc,docker,podman,skopeo,floor
bench_option() {
  case "$1" in
    --settle) settle="$2"; bench_shift=2 ;;
    --only) only="$2"; bench_shift=2 ;;
    *) return 1 ;;
  esac
}
bench_parse_args '3,14p' "$@"

cache="$repo/.tmp/bench/pull-image"
work="$repo/.tmp/bench/pull"
registry=127.0.0.1:5001
image="$registry/bench/big:latest"
results="$repo/.tmp/bench/pull-$(date -u +%Y%m%dT%H%M%SZ)"
layer_dirs=(usr/lib/python3.11 usr/include usr/lib/gcc usr/share/locale)

wants() { [[ ",$only," == *",$1,"* ]]; }
cleanup() {
  bench_stop_pid "$work/engine.pid"
  bench_dockerd_down
  bench_stop_pid "$work/registry.pid"
  # runc state of podman's and docker's pulls holds nothing; their overlay mounts would, so unmount any left.
  grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work/runs"
}
trap cleanup EXIT

for tool in umoci skopeo docker-registry curl jq; do command -v "$tool" >/dev/null || { echo "pull.sh: $tool is missing (apt-get install it)" >&2; exit 1; }; done

stamp="$(printf '%s\n' "${layer_dirs[@]}" | sha256sum | cut -c1-16)"
if [[ ! -f "$cache/.stamp" || "$(cat "$cache/.stamp")" != "$stamp" ]]; then
  log "building the image in $cache"
  rm -rf "$cache"
  mkdir -p "$cache"
  umoci init --layout "$cache/oci"
  umoci new --image "$cache/oci:big"
  for dir in "${layer_dirs[@]}"; do
    tar -cf "$cache/layer.tar" -C / "$dir"
    umoci raw add-layer --image "$cache/oci:big" "$cache/layer.tar"
  done
  rm "$cache/layer.tar"
  echo "$stamp" >"$cache/.stamp"
fi

log "removing old runs, then ${settle}s for the disk to settle"
rm -rf "$work"
mkdir -p "$work/runs"
sync
sleep "$settle"

log "docker-registry on $registry"
cat >"$work/registry.yml" <<EOF
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $work/registry }, delete: { enabled: true } }
http: { addr: $registry }
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
echo $! >"$work/registry.pid"
wait_for curl -sf "http://$registry/v2/"
skopeo copy --quiet --dest-tls-verify=false "oci:$cache/oci:big" "docker://$image"
manifest="$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$registry/v2/bench/big/manifests/latest")"
mapfile -t layers < <(jq -r '.layers[].digest' <<<"$manifest")
total="$(jq '[.layers[].size] | add' <<<"$manifest")"
files="$(find "${layer_dirs[@]/#//}" | wc -l)"

# The floor: what any puller must at least do, each layer downloaded, hashed and unpacked at once, all in parallel.
floor_pull() {
  local dest="$1" digest i=0 pids=()
  for digest in "${layers[@]}"; do
    mkdir -p "$dest/$i"
    curl -sf "http://$registry/v2/bench/big/blobs/$digest" | tee >(sha256sum >"$dest/$i.sha256") | tar -xz -C "$dest/$i" &
    pids+=($!)
    i=$((i + 1))
  done
  wait "${pids[@]}"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Times one command into the samples of `key`.
timed() {
  local key="$1"; shift
  local start end
  start="$(now_ms)"
  "$@" >"$work/last.log" 2>&1 || { echo "pull.sh: $key failed:" >&2; cat "$work/last.log" >&2; exit 1; }
  end="$(now_ms)"
  echo "$key $((end - start))" >>"$results.samples"
  log "$key run: $((end - start)) ms"
}

for ((run = 1; run <= runs; run++)); do
  dir="$work/runs/$run"
  mkdir -p "$dir"
  if wants tsc; then
    # A pool of its own for the default bridge: the host's 172.16/12 and 192.168/16 may all be taken by other bridges.
    mkdir -p "$dir/tsc/data"
    echo '{ "default-address-pools": [{ "base": "10.213.0.0/16", "size": 24 }] }' >"$dir/tsc/data/daemon.json"
    node packages/cli/bin/run.js daemon --host "$work/engine.sock" --data-root "$dir/tsc/data" --exec-root "$dir/tsc/exec" >"$work/engine.log" 2>&1 &
    echo $! >"$work/engine.pid"
    wait_for curl -sf --unix-socket "$work/engine.sock" http://engine/_ping
    TSC_ENGINE_HOST="$work/engine.sock" timed tsc bin/tsc-engine pull -q "$image"
    bench_stop_pid "$work/engine.pid"
  fi
  if wants docker; then
    bench_dockerd_up "$dir/docker" --no-pull --bridge=none
    timed docker "$docker_cli" -H "$docker_host" pull -q "$image"
    bench_dockerd_down
  fi
  if wants podman; then
    timed podman podman --root "$dir/podman/root" --runroot "$dir/podman/run" --tmpdir "$dir/podman/tmp" \
      --cgroup-manager=cgroupfs --events-backend=file pull -q --tls-verify=false "$image"
  fi
  if wants skopeo; then
    timed skopeo skopeo copy --quiet --src-tls-verify=false "docker://$image" "dir:$dir/skopeo"
  fi
  if wants floor; then
    timed floor floor_pull "$dir/floor"
  fi
done

{
  printf 'Measured %s on %s × %s, Linux %s: image of %s layers, %s bytes compressed, %s files; median (min–max) of %s runs.\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(lscpu | sed -n 's/^Model name: *//p')" "$(uname -r)" \
    "${#layers[@]}" "$total" "$files" "$runs"
  echo '| tool | median | min | max | vs floor |'
  echo '| --- | --- | --- | --- | --- |'
  node bench/samples-table.mjs pull "$results.samples"
} | tee "$results.md"
